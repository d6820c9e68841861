// Generated definitions of the mlc op interfaces.
#include "dialects/Mlc/MlcInterfaces.h"

#include "dialects/Mlc/MlcInterfaces.cpp.inc"
