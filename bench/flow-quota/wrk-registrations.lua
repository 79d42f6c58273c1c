-- wrk script for the baseline of bench/flow-quota: every request a new registration (a distinct email per thread and
-- request), as flow-bridge sends them. Arguments after "--": a run name and FLOW's api-secret.
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  run = args[1] or "run"
  secret = args[2] or "sandbox-secret"
  n = 0
end

function request()
  n = n + 1
  local body = string.format(
    '{"email":"wrk-%s-%d-%d@example.com","firstName":"Bench","lastName":"Person %d","eventSessionToken":"future-roadmap-1"}',
    run, id, n, n)
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json", ["api-secret"] = secret }, body)
end
