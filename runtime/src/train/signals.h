// SIGINT/SIGTERM during training: noted by a handler and acted on between steps (checkpoint, log, exit).
#ifndef MLC_RUNTIME_TRAIN_SIGNALS_H
#define MLC_RUNTIME_TRAIN_SIGNALS_H

namespace mlc {

// Installs the handlers. A second signal of either kind ends the process at once (the handler resets
// to the default action), so a stuck run can still be interrupted.
void install_stop_handlers();
// Restores the default actions (after training, before evaluation-only work).
void remove_stop_handlers();
// The first stop signal received since install_stop_handlers(), or 0.
int pending_stop_signal();
// "SIGINT" / "SIGTERM".
const char* signal_name(int signal);
// The conventional exit status after a signal: 128 + its number (130, 143).
int signal_exit_status(int signal);

}  // namespace mlc

#endif  // MLC_RUNTIME_TRAIN_SIGNALS_H
