// The `mlc plot` command (its own file: it uses the runtime's report code, which throws mlc::Error).
#ifndef MLC_TOOLS_MLC_PLOT_H
#define MLC_TOOLS_MLC_PLOT_H

namespace mlc {
/// argv holds the arguments after "plot". Returns the exit status.
int runPlot(int argc, char **argv);
} // namespace mlc

#endif
