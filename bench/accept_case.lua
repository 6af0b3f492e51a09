-- A case's acceptance (a step: its event, its audit entry and the statistics' tallies moved in
-- the same transaction), each request on a different received case from received.txt. The
-- threads take turns through the list, so that no case is accepted twice.
local ids = {}
for line in io.lines(os.getenv("BENCH_RECEIVED") or "received.txt") do ids[#ids + 1] = line end
local token = os.getenv("BENCH_TOKEN")
local threads = 0
setup = function(thread)
  thread:set("first", threads)
  threads = threads + 1
end
local next_index
init = function()
  next_index = first + 1
end
request = function()
  local id = ids[next_index]
  next_index = next_index + (tonumber(os.getenv("THREADS")) or 2)
  if id == nil then
    -- The list ran out: ask for a case that does not exist, counted as an error.
    id = "exhausted"
  end
  return wrk.format("POST", "/api/v1/cases/" .. id .. "/steps/accept", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, "{}")
end
done = function(summary, latency, requests)
  io.write(string.format("non-2xx or errors: %d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
