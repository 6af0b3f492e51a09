-- An authenticated GET of BENCH_PATH.
local token = os.getenv("BENCH_TOKEN")
local path = os.getenv("BENCH_PATH")
request = function()
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end
