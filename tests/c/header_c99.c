/* jszb.h must compile on its own as strict C99 (-std=c99 -pedantic -Werror), and
   every _INIT macro must initialise its struct completely. */
#include <stdio.h>
#include <string.h>

#include "jszb/jszb.h"

int main(void) {
  jszb_engine_options options = JSZB_ENGINE_OPTIONS_INIT;
  jszb_intake intake = JSZB_INTAKE_INIT;
  jszb_command command = JSZB_COMMAND_INIT;
  jszb_case_filter filter = JSZB_CASE_FILTER_INIT;
  int failures = 0;
  if (options.version != JSZB_ENGINE_OPTIONS_VERSION || options.max_extensions != 1) failures++;
  if (intake.version != JSZB_INTAKE_VERSION || intake.channel_ref != NULL) failures++;
  if (command.version != JSZB_COMMAND_VERSION || command.payload.text != NULL) failures++;
  if (filter.version != JSZB_CASE_FILTER_VERSION || filter.limit != 0) failures++;
  if (strcmp(jszb_version(), JSZB_VERSION_STRING) != 0) failures++;
  if (jszb_version_number() != JSZB_VERSION_NUMBER) failures++;
  if (failures) fprintf(stderr, "%d header checks failed\n", failures);
  return failures ? 1 : 0;
}
