// Emission of stream-state parameters (ScalarWire::State, plan_state.h) on both
// sides of the stack. Wire format, in the parameter's scalar slot:
//   request: presence; guest address (the key of the server's persistent copy);
//            the struct's bytes; per cursor member: presence, count, input bytes
//   reply (after the other outputs, non-const structs only): per present cursor
//            the elements consumed/produced (produced bytes follow, inline or bulk
//            tagged with the parameter index); the struct's bytes with every
//            pointer member NULL (the guest keeps its own pointers).
#pragma once

#include "emit.h"

namespace remora::codegen {

void emit_guest_state_send(Code& c, const FunctionPlan& fp, const ParamPlan& pp, const StatePlan& st);
void emit_guest_state_receive(Code& c, const FunctionPlan& fp, const ParamPlan& pp, const StatePlan& st);

void emit_server_state_decode(Code& c, const FunctionPlan& fp, const ParamPlan& pp, const StatePlan& st);
// Just before the call: the persistent copy takes the guest's values and this call's cursors.
void emit_server_state_bind(Code& c, const FunctionPlan& fp, const ParamPlan& pp, const StatePlan& st);
void emit_server_state_encode(Code& c, const FunctionPlan& fp, const ParamPlan& pp, const StatePlan& st);
// The worker's table of persistent copies (before the handlers) and its release at disconnect.
void emit_server_state_table(Code& c);
void emit_server_state_release(Code& c, const StackPlan& plan);

}  // namespace remora::codegen
