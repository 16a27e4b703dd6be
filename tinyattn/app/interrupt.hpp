// interrupt.hpp — stop training cleanly on Ctrl-C: finish the step, save, exit.
//
// Ctrl-C sends SIGINT, whose default action kills the process at once — in the middle of a
// step, or of writing a checkpoint, losing everything since the last save. A training loop
// that installs this handler instead sees interrupted() turn true and stops at the next step
// boundary, where the model and the optimizer are consistent, saves and returns:
//
//     install_interrupt_handler();
//     for (step ...) { ...train one step...; if (interrupted()) { save_checkpoint(...); break; } }
//
// A second Ctrl-C while the first is being handled kills the process the default way
// (for a loop stuck somewhere it never checks). SIGTERM (`kill PID`) is treated like Ctrl-C.
#pragma once
#include <string>

namespace tinyattn {

void install_interrupt_handler();   // SIGINT and SIGTERM set the flag instead of killing
bool interrupted();                 // has one arrived since install / clear?
void clear_interrupt();             // reset the flag (and re-arm the one-more-kills rule)

// What a lesson does after saving on an interrupt: say where the checkpoint is and how to
// continue (or that this phase saves nothing: an empty path), then exit with status 130,
// the shell's code for a program stopped by Ctrl-C (128 + SIGINT = 2).
[[noreturn]] void exit_after_interrupt(const std::string& saved_checkpoint);

}  // namespace tinyattn
