-- Anonymous report submissions at random points inside served communities, each from its own
-- client address (X-Real-IP, as a reverse proxy sets it) and with its own idempotency key.
-- wrk -s submit.lua URL -- SEED XMIN YMIN XMAX YMAX PATH POINTS_FILE CATEGORY
-- POINTS_FILE: one "lon lat" per line, all inside communities (written by bench/run.py).
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
local common = require("common")
local path, category
local points = {}
local sent = 0

setup = common.setup
done = common.done

function init(args)
  common.parse(args)
  path = args[6]
  for line in io.lines(args[7]) do
    local lon, lat = line:match("^(%S+)%s+(%S+)$")
    if lon then
      table.insert(points, { lon, lat })
    end
  end
  category = args[8]
end

function request()
  sent = sent + 1
  local p = points[math.random(#points)]
  local key = string.format("bench-%d-%d-%08x", tid or 0, sent, math.random(0, 0x7fffffff))
  local body = string.format(
    '{"category": "%s", "description": "bench: lamp out", "lon": %s, "lat": %s, ' ..
    '"idempotency_key": "%s"}', category, p[1], p[2], key)
  local headers = {
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json",
    ["X-Real-IP"] = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255),
      math.random(1, 254)),
  }
  return wrk.format("POST", path, headers, body)
end
