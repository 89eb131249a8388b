-- wrk script: durable survey submissions (POST /api/v1/responses), the
-- citizen's JSON form: every 201 is a response committed and fsynced through
-- the write queue (group commit). The wave and the units come from
-- CHISO_BENCH_WAVE and CHISO_BENCH_UNITS (space-separated); answers to the
-- 22 items of the SIPAS 2017 form vary with the request. Non-201 answers
-- count as errors.
local wave = os.getenv("CHISO_BENCH_WAVE") or "W24"
local units = {}
for u in string.gmatch(os.getenv("CHISO_BENCH_UNITS") or "BNI-TPBN", "%S+") do
	table.insert(units, u)
end
local items = { "E1.1", "E1.2", "E1.3", "E1.4", "E2.1", "E2.2", "E2.3", "E2.4", "E2.5", "E3.1",
	"E3.2", "E3.3", "E3.4", "E3.5", "E3.6", "E4.1", "E4.2", "E4.3", "E5.1", "E5.2", "E5.3", "E5.4" }
local headers = { ["Content-Type"] = "application/json" }
local threads = {}
local counter = 0

function setup(thread)
	thread:set("id", #threads + 1)
	table.insert(threads, thread)
end

function request()
	counter = counter + 1
	local n = counter * 7 + id * 13
	local parts = {}
	for k, code in ipairs(items) do
		parts[k] = string.format('"%s":%d', code, (n + k * 3) % 5 + 1)
	end
	local body = string.format(
		'{"wave":"%s","unit":"%s","channel":"online","answers":{%s,"general":%d,"kind":"%s","expectation":["e2_time","e4_ontime"]}}',
		wave, units[n % #units + 1], table.concat(parts, ","), n % 5 + 1,
		n % 5 == 0 and "organisation" or "citizen")
	return wrk.format("POST", "/api/v1/responses", headers, body)
end

function response(status, headers, body)
	if status ~= 201 then
		io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
	end
end

function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format("result requests_per_s=%.0f", summary.requests / (summary.duration / 1e6)))
	for _, p in ipairs({ 50, 90, 99, 99.9 }) do
		io.write(string.format(" p%s_ms=%.2f", p, latency:percentile(p) / 1000))
	end
	io.write(string.format(" errors=%d\n", e.connect + e.read + e.write + e.status + e.timeout))
end
