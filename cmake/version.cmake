# Writes OUT, the launcher's version text: PROJECT_VERSION, and the git commit when SOURCE is
# a checkout ("0.1.0 (commit 1a2b3c4d5e6f)", "-dirty" when the tree has changes). Run at
# every build (the mcpl_version target); OUT is rewritten only when the text changed, so
# only version.cpp is compiled again.
execute_process(
  COMMAND git -C "${SOURCE}" describe --always --dirty --abbrev=12 --match=no-tag-matches
  OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE failed)
set(MCPL_VERSION_TEXT "${VERSION}")
if(NOT failed AND commit)
  set(MCPL_VERSION_TEXT "${VERSION} (commit ${commit})")
endif()
configure_file("${SOURCE}/launcher/version.cpp.in" "${OUT}" @ONLY)
