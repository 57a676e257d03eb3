// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance: checks ported from ReactOS
 * modules/rostests/apitests/ntdll/NtQueryVolumeInformationFile.c (issue
 * 17): TestFileFsDeviceInformation, TestFileFsVolumeInformation and
 * TestFileFsAttributeInformation: parameter order, minimum lengths (the
 * whole structure), alignment, the IO_STATUS_BLOCK left alone on early
 * failures, and names cut byte by byte. Re-expressed, not copied.
 */
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>
#include "nt_test.h"

FIXTURE(conf_ros_volume) {
	HANDLE h;
};
NT_GATE_VARIANTS(conf_ros_volume);

FIXTURE_SETUP(conf_ros_volume)
{
	OBJECT_ATTRIBUTES oa;
	UNICODE_STRING us;
	IO_STATUS_BLOCK iosb;

	NT_GATE_SETUP();
	nt_oa(&oa, &us, u"\\??\\C:\\tmp", OBJ_CASE_INSENSITIVE);
	ASSERT_STATUS(STATUS_SUCCESS,
		      NtOpenFile(&self->h, FILE_LIST_DIRECTORY | SYNCHRONIZE, &oa, &iosb,
				 FILE_SHARE_READ | FILE_SHARE_WRITE,
				 FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT));
}

FIXTURE_TEARDOWN(conf_ros_volume)
{
	NtClose(self->h);
}

static int iosb_untouched(const IO_STATUS_BLOCK *io)
{
	return io->Status == (NTSTATUS)0x55555555 && io->Information == 0x55555555;
}

/* ReactOS NtQueryVolumeInformationFile.c, TestFileFsDeviceInformation */
TEST_F(conf_ros_volume, ros_NtQueryVolumeInformationFile_device)
{
	FILE_FS_DEVICE_INFORMATION dev;
	IO_STATUS_BLOCK io;

	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtQueryVolumeInformationFile(self->h, NULL, &dev, sizeof(dev),
						   FileFsDeviceInformation));
	EXPECT_STATUS(STATUS_ACCESS_VIOLATION,
		      NtQueryVolumeInformationFile(self->h, &io, NULL, sizeof(dev),
						   FileFsDeviceInformation));
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryVolumeInformationFile(self->h, &io, &dev, 0,
						   FileFsDeviceInformation));
	EXPECT_STATUS(STATUS_INVALID_INFO_CLASS,
		      NtQueryVolumeInformationFile(self->h, &io, &dev, sizeof(dev), 0));
	EXPECT_STATUS(STATUS_INVALID_HANDLE,
		      NtQueryVolumeInformationFile(NULL, &io, &dev, sizeof(dev),
						   FileFsDeviceInformation));
	/* the current-process pseudo-handle is not a file */
	EXPECT_STATUS(STATUS_OBJECT_TYPE_MISMATCH,
		      NtQueryVolumeInformationFile((HANDLE)-1, &io, &dev, sizeof(dev),
						   FileFsDeviceInformation));
	/* the length is checked first */
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryVolumeInformationFile(NULL, NULL, NULL, 0,
						   FileFsDeviceInformation));
}

/* ReactOS NtQueryVolumeInformationFile.c, TestFileFsVolumeInformation */
TEST_F(conf_ros_volume, ros_NtQueryVolumeInformationFile_volume)
{
	ULONG buf[(sizeof(FILE_FS_VOLUME_INFORMATION) + 260 * 2) / 4];
	FILE_FS_VOLUME_INFORMATION *v = (void *)buf;
	const ULONG label = offsetof(FILE_FS_VOLUME_INFORMATION, VolumeLabel);
	IO_STATUS_BLOCK io;
	NTSTATUS st;

	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryVolumeInformationFile(self->h, NULL, NULL, 0,
						   FileFsVolumeInformation));
	memset(&io, 0x55, sizeof(io));
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryVolumeInformationFile(self->h, &io, NULL, 0,
						   FileFsVolumeInformation));
	EXPECT_TRUE(iosb_untouched(&io));
	memset(&io, 0x55, sizeof(io));
	EXPECT_STATUS(STATUS_DATATYPE_MISALIGNMENT,
		      NtQueryVolumeInformationFile(self->h, &io, (char *)buf + 2,
						   sizeof(*v), FileFsVolumeInformation));
	EXPECT_TRUE(iosb_untouched(&io));
	memset(&io, 0x55, sizeof(io));
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryVolumeInformationFile(self->h, &io, v, label,
						   FileFsVolumeInformation));
	EXPECT_TRUE(iosb_untouched(&io));
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryVolumeInformationFile(self->h, &io, v, sizeof(*v) - 1,
						   FileFsVolumeInformation));
	EXPECT_TRUE(iosb_untouched(&io));
	/* exactly the structure: a short label fits, a long one overflows */
	memset(buf, 0x55, sizeof(buf));
	memset(&io, 0x55, sizeof(io));
	st = NtQueryVolumeInformationFile(self->h, &io, v, sizeof(*v),
					  FileFsVolumeInformation);
	EXPECT_TRUE(st == STATUS_SUCCESS || st == STATUS_BUFFER_OVERFLOW)
		TH_LOG("0x%08x", st);
	EXPECT_EQ(st, io.Status);
	if (st == STATUS_SUCCESS) {
		EXPECT_GE(io.Information, label);
		EXPECT_LE(io.Information, sizeof(*v));
	}
	/* a big buffer: the label and nothing after it */
	memset(buf, 0x55, sizeof(buf));
	memset(&io, 0x55, sizeof(io));
	EXPECT_STATUS(STATUS_SUCCESS,
		      NtQueryVolumeInformationFile(self->h, &io, v, sizeof(buf),
						   FileFsVolumeInformation));
	EXPECT_STATUS(STATUS_SUCCESS, io.Status);
	EXPECT_EQ(label + v->VolumeLabelLength, io.Information);
	EXPECT_NE(0x55555555, (ULONG)v->VolumeSerialNumber);
	EXPECT_EQ(0u, v->VolumeLabelLength % 2);
	EXPECT_EQ(0x5555, v->VolumeLabel[v->VolumeLabelLength / 2]);
}

/* ReactOS NtQueryVolumeInformationFile.c, TestFileFsAttributeInformation */
TEST_F(conf_ros_volume, ros_NtQueryVolumeInformationFile_attribute)
{
	ULONG buf[(sizeof(FILE_FS_ATTRIBUTE_INFORMATION) + 32 * 2) / 4];
	FILE_FS_ATTRIBUTE_INFORMATION *a = (void *)buf;
	const ULONG name = offsetof(FILE_FS_ATTRIBUTE_INFORMATION, FileSystemName);
	IO_STATUS_BLOCK io;
	WCHAR *fsn = (WCHAR *)((char *)buf + name);

	memset(&io, 0x55, sizeof(io));
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryVolumeInformationFile(self->h, &io, NULL, 0,
						   FileFsAttributeInformation));
	EXPECT_TRUE(iosb_untouched(&io));
	EXPECT_STATUS(STATUS_DATATYPE_MISALIGNMENT,
		      NtQueryVolumeInformationFile(self->h, &io, (char *)buf + 2,
						   sizeof(*a), FileFsAttributeInformation));
	EXPECT_TRUE(iosb_untouched(&io));
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryVolumeInformationFile(self->h, &io, a, name,
						   FileFsAttributeInformation));
	EXPECT_STATUS(STATUS_INFO_LENGTH_MISMATCH,
		      NtQueryVolumeInformationFile(self->h, &io, a, sizeof(*a) - 1,
						   FileFsAttributeInformation));
	EXPECT_TRUE(iosb_untouched(&io));
	/* the structure: two bytes of name, BUFFER_OVERFLOW */
	memset(buf, 0x55, sizeof(buf));
	memset(&io, 0x55, sizeof(io));
	EXPECT_STATUS(STATUS_BUFFER_OVERFLOW,
		      NtQueryVolumeInformationFile(self->h, &io, a, sizeof(*a),
						   FileFsAttributeInformation));
	EXPECT_STATUS(STATUS_BUFFER_OVERFLOW, io.Status);
	EXPECT_EQ(sizeof(*a) - name, a->FileSystemNameLength);
	EXPECT_EQ(sizeof(*a), io.Information);
	EXPECT_EQ(0x5555, fsn[a->FileSystemNameLength / 2]);
	/* one byte more: an odd length, the half character written */
	memset(buf, 0x55, sizeof(buf));
	memset(&io, 0x55, sizeof(io));
	EXPECT_STATUS(STATUS_BUFFER_OVERFLOW,
		      NtQueryVolumeInformationFile(self->h, &io, a, sizeof(*a) + 1,
						   FileFsAttributeInformation));
	EXPECT_EQ(sizeof(*a) + 1 - name, a->FileSystemNameLength);
	EXPECT_EQ(sizeof(*a) + 1, io.Information);
	EXPECT_EQ(0x5500, fsn[a->FileSystemNameLength / 2] & 0xff00);
	EXPECT_EQ(0x5555, fsn[a->FileSystemNameLength / 2 + 1]);
	/* room for all */
	memset(buf, 0x55, sizeof(buf));
	EXPECT_STATUS(STATUS_SUCCESS,
		      NtQueryVolumeInformationFile(self->h, &io, a, sizeof(buf),
						   FileFsAttributeInformation));
	EXPECT_EQ(name + a->FileSystemNameLength, io.Information);
	EXPECT_EQ(0x5555, fsn[a->FileSystemNameLength / 2]);
}

TEST_HARNESS_MAIN
