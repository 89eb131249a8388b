# Pages and assets embedded from web/: the landing page in Vietnamese by
# default and in English on request, content types, ETag revalidation, gzip,
# versioned URLs cached for a year, and no inline scripts or styles.
. "$(dirname "$0")/lib.sh"

run chiso init --db "$DB"
expect_exit 0
start_server

req GET /
expect_status 200
expect_header "Content-Type: text/html; charset=utf-8"
expect_header "Content-Language: vi"
expect_header "Cache-Control: no-cache"
expect_security_headers
expect_body '<html lang="vi">'
expect_body 'Chỉ số cải cách hành chính'
expect_body 'href="/docs/api"'
expect_body 'href="/api/v1/units"'
expect_no_body '{{asset:'
tr -d '\r' <"$HDR" | grep -i '^Vary:' | grep -q 'Accept-Language' && pass "Vary: Accept-Language" ||
	fail "Vary: Accept-Language missing"
etag=$(header ETag)
cp "$BODY" index.vi.html

# Strict CSP: no inline script, no inline style, no event handler attribute.
req GET '/?lang=en'
cp "$BODY" index.en.html
for page in index.vi.html index.en.html; do
	if grep -o '<script[^>]*>' "$page" | grep -qv 'src=' ||
		grep -Eqi '<style|[[:space:]]style=|[[:space:]]on[a-z]+=|javascript:' "$page"; then
		fail "$page has inline script or style"
	else
		pass "$page has no inline script or style"
	fi
done

req GET / -H "If-None-Match: $etag"
expect_status 304
expect_header "ETag: $etag"
expect_security_headers

req GET / -H 'If-None-Match: "something-else"'
expect_status 200

req GET '/?lang=en'
expect_status 200
expect_header "Content-Language: en"
expect_body '<html lang="en">'
expect_body 'Administrative reform and citizen satisfaction indices'

req GET / -H 'Accept-Language: en-US,en;q=0.9,vi;q=0.5'
expect_status 200
expect_header "Content-Language: en"

req GET '/?lang=vi' -H 'Accept-Language: en'
expect_status 200
expect_header "Content-Language: vi"

# gzip when the client takes it: smaller, and the same page once unpacked.
req GET / -H 'Accept-Encoding: gzip'
expect_status 200
expect_header "Content-Encoding: gzip"
gzip -dc <"$BODY" >unpacked.html 2>/dev/null
expect_same index.vi.html unpacked.html "the gzip page unpacks to the plain one"
[ "$(wc -c <"$BODY")" -lt "$(wc -c <index.vi.html)" ] && pass "gzip is smaller" || fail "gzip is not smaller"
gz_etag=$(header ETag)
[ "$gz_etag" != "$etag" ] && pass "the gzip form has its own ETag" || fail "same ETag for gzip and plain"
req GET / -H 'Accept-Encoding: gzip' -H "If-None-Match: $gz_etag"
expect_status 304

# Assets: the page names them with their version; such URLs are immutable.
css=$(grep -o '/assets/style.css?v=[0-9a-f]*' index.vi.html | head -n 1)
[ -n "$css" ] && pass "page links a versioned stylesheet" || fail "no versioned stylesheet in the page"
req GET "$css"
expect_status 200
expect_header "Content-Type: text/css; charset=utf-8"
expect_header "Cache-Control: public, max-age=31536000, immutable"
expect_security_headers
expect_same "$BODY" "$SRC/web/style.css" "the stylesheet is web/style.css"

req GET /assets/style.css
expect_status 200
expect_header "Cache-Control: no-cache"

req GET '/assets/style.css?v=0000'
expect_status 200
expect_header "Cache-Control: no-cache"

req GET /assets/favicon.svg
expect_status 200
expect_header "Content-Type: image/svg+xml"

req GET /assets/missing.js
expect_problem 404 name
expect_body "no asset named 'missing.js'"

# Names are looked up in the embedded table, never on disk.
req GET /assets/../CMakeLists.txt --path-as-is
expect_problem 404 name

req GET /assets/%2e%2e/CMakeLists.txt
expect_status 404

req GET /docs/api
expect_status 200
expect_header "Content-Type: text/plain; charset=utf-8"
expect_body '# chiso JSON API v1'

req POST / -H 'Content-Type: application/json' --data '{}'
expect_problem 405 null
expect_header "Allow: GET, HEAD"

stop_server
expect_exit 0
finish
