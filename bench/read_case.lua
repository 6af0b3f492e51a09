-- Authenticated single-case reads, each of a random case from cases.txt.
local ids = {}
for line in io.lines(os.getenv("BENCH_CASES") or "cases.txt") do ids[#ids + 1] = line end
local token = os.getenv("BENCH_TOKEN")
math.randomseed(42)
request = function()
  local id = ids[math.random(#ids)]
  return wrk.format("GET", "/api/v1/cases/" .. id, { ["Authorization"] = "Bearer " .. token })
end
