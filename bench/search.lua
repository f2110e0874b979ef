-- wrk script: GET /search?q=... cycling through bench/search-queries.txt in order.
local queries = {}
local n = 0

local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

for line in io.lines("bench/search-queries.txt") do
  if #line > 0 then
    n = n + 1
    queries[n] = "/search?q=" .. encode(line)
  end
end

local i = 0
request = function()
  i = (i % n) + 1
  return wrk.format("GET", queries[i])
end
