/* chiso's command-line driver (being assembled). */
#include <stdio.h>

#include "chiso/version.h"

#include "util/banned.h"

int main(void)
{
	printf("chiso %s\n", CHISO_VERSION);
	return 0;
}
