-- Requests for legal aid filed as the portal sends them: a new dossier code at each request, and about one
-- request in five a retry of the thread's previous dossier (same code, same content), which
-- must be answered with the first answer (201, Idempotent-Replayed) and create nothing.
local token = os.getenv("BENCH_PORTAL_TOKEN")
local org = os.getenv("BENCH_ORG")
local procedure = os.getenv("BENCH_PROCEDURE")
local run = os.getenv("BENCH_RUN")
local threads = {}
local next_id = 0

setup = function(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

local counter, last = 0, nil
created, replayed, failed, retries = 0, 0, 0, 0

local function body(code)
  return string.format(
    '{"dossier_code":"%s","procedure_code":"%s","organization_id":"%s",' ..
    '"received_at":"2026-11-30T09:00:00+07:00","applicant":{"kind":"person","name":"Nguyễn Thị Bench",' ..
    '"citizen_id":"001190012345","gender":"female","date_of_birth":"1990-05-06"},' ..
    '"contact":{"phone":"0900000000"},"summary":"Yêu cầu trợ giúp pháp lý (benchmark)",' ..
    '"legal_aid":{"person":{"full_name":"Nguyễn Thị Bench","citizen_id":"001190012345",' ..
    '"gender":"female","date_of_birth":"1990-05-06"},"category":"poor_household",' ..
    '"proof":{"document_kind":"Giấy chứng nhận hộ nghèo","document_number":"1/GCN"},' ..
    '"field":"land","matter":"Tranh chấp quyền sử dụng đất"},' ..
    '"documents":[{"file_name":"don.pdf",' ..
    '"content_base64":"JVBERi0xLjQKMSAwIG9iajw8Pj5lbmRvYmoKdHJhaWxlcjw8Pj4KJSVFT0Y="}]}',
    code, procedure, org)
end

request = function()
  if last ~= nil and math.random() < 0.2 then
    retries = retries + 1
    return last
  end
  counter = counter + 1
  last = wrk.format("POST", "/api/v1/portal/dossiers", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, body(string.format("B-%s-%d-%d", run, id, counter)))
  return last
end

response = function(status, headers, _)
  if status ~= 201 then
    failed = failed + 1
  elseif headers["idempotent-replayed"] or headers["Idempotent-Replayed"] then
    replayed = replayed + 1
  else
    created = created + 1
  end
end

done = function(summary, latency, requests)
  local c, r, f, t = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("created")
    r = r + thread:get("replayed")
    f = f + thread:get("failed")
    t = t + thread:get("retries")
  end
  io.write(string.format("intake: created %d, replayed %d, not 201 %d, retries sent %d\n", c, r, f, t))
  io.write(string.format("non-2xx or errors: %d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
