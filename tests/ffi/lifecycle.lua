-- jszb through LuaJIT's FFI, with nothing but jszb_ffi.h and the shared
-- library: ffi.cdef takes the generated header as it is, structs are
-- initialised with the jszb_*_init functions (FFIs see no INIT macros), and
-- one request goes from intake to closed under the built-in policy.
-- Usage: luajit lifecycle.lua <jszb_ffi.h> <libjszb.so>. Exits 1 on any failure.
local ffi = require("ffi")

local header_path, library_path = arg[1], arg[2]
if not header_path or not library_path then
  io.stderr:write("usage: luajit lifecycle.lua <jszb_ffi.h> <libjszb.so>\n")
  os.exit(2)
end

local f = assert(io.open(header_path, "rb"))
ffi.cdef(f:read("*a"))
f:close()
local jszb = ffi.load(library_path)

local failures = 0
local function check(cond, what)
  if not cond then
    io.stderr:write("FAILED: " .. what .. "\n")
    failures = failures + 1
  end
end
-- A call that must return JSZB_OK; the library's message otherwise.
local function ok(rc, what)
  if rc ~= jszb.JSZB_OK then
    local err = jszb.jszb_error_last()
    io.stderr:write(string.format("FAILED: %s returned %d: %s\n", what, rc, ffi.string(err.message)))
    failures = failures + 1
  end
end
local function new(struct, version)
  local s = ffi.new(struct)
  ok(jszb[struct .. "_init"](s, version), struct .. "_init")
  return s
end

-- The constants came through as enum constants, the version too.
check(jszb.JSZB_VERSION_NUMBER == jszb.jszb_version_number(), "JSZB_VERSION_NUMBER")
check(ffi.string(jszb.jszb_version()) ==
        string.format("%d.%d.%d", jszb.JSZB_VERSION_MAJOR, jszb.JSZB_VERSION_MINOR,
                      jszb.JSZB_VERSION_PATCH), "jszb_version")

-- The init functions: the macros' defaults; unknown versions refused by name.
local ro = new("jszb_report_options", jszb.JSZB_REPORT_OPTIONS_VERSION)
check(ro.version == 3 and ro.top == 20 and ro.baseline_periods == 4 and ro.min_visits == 10,
      "report options defaults")
local eo = new("jszb_engine_options", jszb.JSZB_ENGINE_OPTIONS_VERSION)
check(eo.max_extensions == 1, "engine options default")
local refused = ffi.new("jszb_command")
check(jszb.jszb_command_init(refused, 0) == jszb.JSZB_E_INVALID, "command version 0 refused")
check(ffi.string(jszb.jszb_error_last().message):find("jszb_command", 1, true) ~= nil,
      "the refusal names the struct")
check(jszb.jszb_command_init(refused, jszb.JSZB_COMMAND_VERSION + 1) == jszb.JSZB_E_INVALID,
      "an unknown command version refused")
check(jszb.jszb_intake_init(nil, 1) == jszb.JSZB_E_INVALID, "NULL refused")

-- An engine under the built-in Beijing policy.
local engine_out = ffi.new("jszb_engine*[1]")
ok(jszb.jszb_engine_open(eo, engine_out), "jszb_engine_open")
local engine = ffi.gc(engine_out[0], jszb.jszb_engine_close)
local policy_out = ffi.new("jszb_policy*[1]")
ok(jszb.jszb_policy_default(policy_out), "jszb_policy_default")
ok(jszb.jszb_engine_set_policy(engine, policy_out[0]), "jszb_engine_set_policy")
jszb.jszb_policy_free(policy_out[0]) -- the engine keeps its own reference

local T0 = 1632272400000LL -- 2021-09-22 09:00 China time
local MINUTE = 60000LL
local HEPINGJIE, CHAOYANG = 110105007, 110105 -- 和平街街道, 朝阳区

-- Strings given to the library must outlive the calls: these locals hold them.
local texts = {
  ref = "lua-1", category = "城乡建设", content = "路灯不亮，夜里很黑",
  district = "朝阳区", street = "和平街街道", reply = "已修复路灯",
}
local intake = new("jszb_intake", jszb.JSZB_INTAKE_VERSION)
intake.time_ms = T0
intake.actor.role = jszb.JSZB_ROLE_OPERATOR
intake.actor.staff = 1001
intake.channel = jszb.JSZB_CHANNEL_PHONE
intake.channel_ref = texts.ref
intake.kind = jszb.JSZB_KIND_HELP
intake.category[0] = texts.category
intake.content = texts.content
intake.district = texts.district
intake.street = texts.street
local case_id = ffi.new("uint64_t[1]")
local created = ffi.new("int[1]")
ok(jszb.jszb_engine_submit(engine, intake, case_id, created), "jszb_engine_submit")
check(created[0] == 1, "a new case")
local id = case_id[0]

-- A command starts from its defaults: payload fields a kind does not use stay 0.
local copy_to = ffi.new("uint32_t[1]", CHAOYANG)
local function apply(kind, minutes, role, unit, fill)
  local c = new("jszb_command", jszb.JSZB_COMMAND_VERSION)
  c.kind = kind
  c.case_id = id
  c.time_ms = T0 + minutes * MINUTE
  c.actor.role = role
  c.actor.unit = unit
  if fill then fill(c.payload) end
  ok(jszb.jszb_engine_apply(engine, c), "apply " .. ffi.string(jszb.jszb_command_name(kind)))
end

apply(jszb.JSZB_CMD_DISPATCH, 10, jszb.JSZB_ROLE_DISPATCHER, 0, function(p)
  p.unit = HEPINGJIE
  p.copy_to = copy_to
  p.copy_to_count = 1
end)
apply(jszb.JSZB_CMD_SIGN, 20, jszb.JSZB_ROLE_UNIT, HEPINGJIE)
apply(jszb.JSZB_CMD_CONTACT_CITIZEN, 40, jszb.JSZB_ROLE_UNIT, HEPINGJIE)
apply(jszb.JSZB_CMD_REPLY, 24 * 60, jszb.JSZB_ROLE_UNIT, HEPINGJIE, function(p)
  p.contacted = 1
  p.solved = 1
  p.text = texts.reply
end)
apply(jszb.JSZB_CMD_VISIT, 25 * 60, jszb.JSZB_ROLE_OPERATOR, 0, function(p)
  p.valid_visit = 1
  p.contacted = 1
  p.solved = 1
  p.satisfaction = jszb.JSZB_SATISFIED
  p.visit_method = jszb.JSZB_VISIT_PHONE
end)
apply(jszb.JSZB_CMD_CLOSE, 26 * 60, jszb.JSZB_ROLE_OPERATOR, 0)

-- The case as it stands.
local case_out = ffi.new("jszb_case*[1]")
ok(jszb.jszb_engine_get_case(engine, id, case_out), "jszb_engine_get_case")
local snapshot = ffi.gc(case_out[0], jszb.jszb_case_free)
local info = jszb.jszb_case_get_info(snapshot)
check(info.state == jszb.JSZB_STATE_CLOSED,
      "closed, not state " .. tostring(info.state))
check(info.lead_unit == HEPINGJIE, "lead unit")
check(info.copy_to_count == 1 and info.copy_to[0] == CHAOYANG, "copied to the district")
check(info.policy_version > 0, "runs under the built-in policy")
check(info.visit_satisfaction == jszb.JSZB_SATISFIED, "visit result")
check(ffi.string(info.reply_text) == texts.reply, "reply text")
check(info.closed_ms == T0 + 26 * 60 * MINUTE, "closed time")
local expected = {
  jszb.JSZB_EVENT_SUBMITTED, jszb.JSZB_EVENT_DISPATCHED, jszb.JSZB_EVENT_SIGNED,
  jszb.JSZB_EVENT_CITIZEN_CONTACTED, jszb.JSZB_EVENT_REPLIED, jszb.JSZB_EVENT_VISITED,
  jszb.JSZB_EVENT_CLOSED,
}
local history = {}
for i = 1, tonumber(info.event_count) do
  local ev = jszb.jszb_case_get_event(snapshot, i - 1)
  history[i] = ffi.string(jszb.jszb_event_type_name(ev.type))
  check(ev.seq == i and ev.type == expected[i], "event " .. i .. ": " .. history[i])
end
check(#history == #expected, "7 events, not " .. table.concat(history, ", "))
check(jszb.jszb_case_get_event(snapshot, #history) == nil, "no event past the last")

-- A refused command is typed and changes nothing.
local c = new("jszb_command", jszb.JSZB_COMMAND_VERSION)
c.kind = jszb.JSZB_CMD_SIGN
c.case_id = id
c.time_ms = T0 + 27 * 60 * MINUTE
c.actor.role = jszb.JSZB_ROLE_UNIT
c.actor.unit = HEPINGJIE
check(jszb.jszb_engine_apply(engine, c) == jszb.JSZB_E_STATE, "sign on a closed case refused")
check(jszb.jszb_error_last().state == jszb.JSZB_STATE_CLOSED, "the refusal names the state")

-- Listing with an initialised filter.
local filter = new("jszb_case_filter", jszb.JSZB_CASE_FILTER_VERSION)
filter.state = jszb.JSZB_STATE_CLOSED
local ids, count = ffi.new("uint64_t*[1]"), ffi.new("size_t[1]")
ok(jszb.jszb_engine_list_cases(engine, filter, ids, count), "jszb_engine_list_cases")
check(tonumber(count[0]) == 1 and ids[0][0] == id, "the closed case is listed")
jszb.jszb_free(ids[0])

if failures > 0 then
  io.stderr:write(failures .. " checks failed\n")
  os.exit(1)
end
print("luajit: one case from intake to closed through jszb_ffi.h")
