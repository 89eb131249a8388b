-- wrk script: durable writes through the write queue. Each request adds a new
-- period through the administration API (POST /api/v1/periods), so every 201
-- is a committed, fsynced transaction. The token comes from
-- CHISO_BENCH_TOKEN. Non-201 answers count as errors.
local token = os.getenv("CHISO_BENCH_TOKEN") or ""
local threads = {}
local counter = 0

function setup(thread)
	thread:set("id", #threads + 1)
	table.insert(threads, thread)
end

function request()
	counter = counter + 1
	local body = string.format('{"code":"b%d-%d","starts":"2020-01-01","ends":"2020-12-31"}', id, counter)
	return wrk.format("POST", "/api/v1/periods", {
		["Content-Type"] = "application/json",
		["Authorization"] = "Bearer " .. token,
	}, body)
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
