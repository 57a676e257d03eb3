// SPDX-License-Identifier: GPL-2.0
/*
 * ntinfo: the demo's probe. Run under ntrun, it reports what the module
 * gave this process.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "ntpersonality.h"

int main(void)
{
	struct ntp_query q = { 0 };
	int fd = open(NTP_DEVICE_PATH, O_RDWR);

	if (fd < 0 || ioctl(fd, NTP_IOC_QUERY, &q)) {
		perror("ntinfo: " NTP_DEVICE_PATH);
		return 1;
	}
	printf("pid %d: NT personality %s\n", getpid(),
	       q.state & NTP_STATE_ATTACHED ? "attached" : "not attached");
	return q.state & NTP_STATE_ATTACHED ? 0 : 1;
}
