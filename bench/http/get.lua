-- wrk script: GET one path (the first argument after --, default
-- /api/v1/units), then print throughput, latency percentiles and errors in a
-- form bench/http/run collects.
local req

function init(args)
	-- Formatted once per thread: wrk then sends the same bytes each time.
	req = wrk.format("GET", args[1] or "/api/v1/units")
end

function request()
	return req
end

function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format("result requests_per_s=%.0f", summary.requests / (summary.duration / 1e6)))
	for _, p in ipairs({ 50, 90, 99, 99.9 }) do
		io.write(string.format(" p%s_ms=%.2f", p, latency:percentile(p) / 1000))
	end
	io.write(string.format(" errors=%d\n", e.connect + e.read + e.write + e.status + e.timeout))
end
