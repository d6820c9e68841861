// The trainer's process entry point; kept in its own object so programs with their own main never pull it in.
#include "mlc_runtime.h"

int main(int argc, char** argv) { return mlc_trainer_main(argc, argv); }
