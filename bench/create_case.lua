-- Case creation (with its history event and audit entry) for one recipient of the centre.
local token = os.getenv("BENCH_TOKEN")
local body = string.format(
  '{"organization_id":"%s","recipient_id":"%s","received_on":"2026-11-01","field":"civil","form":"counselling","place":"at_office","summary":"Tư vấn pháp luật dân sự (benchmark)"}',
  os.getenv("BENCH_ORG"), os.getenv("BENCH_RECIPIENT"))
request = function()
  return wrk.format("POST", "/api/v1/cases", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, body)
end
done = function(summary, latency, requests)
  io.write(string.format("non-2xx or errors: %d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
