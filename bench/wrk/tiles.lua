-- Random z15 vector tiles inside the city.
-- wrk -s tiles.lua URL -- SEED XMIN YMIN XMAX YMAX TEMPLATE
-- TEMPLATE has {z}, {x} and {y}, e.g. /tiles/reports/{z}/{x}/{y}.pbf
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
local common = require("common")
local box, template
local ZOOM = 15

setup = common.setup
done = common.done

local function tile_x(lon)
  return math.floor((lon + 180) / 360 * 2 ^ ZOOM)
end

local function tile_y(lat)
  local r = math.rad(lat)
  return math.floor((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * 2 ^ ZOOM)
end

function init(args)
  box = common.parse(args)
  template = args[6]
end

function request()
  local x = tile_x(common.uniform(box.xmin, box.xmax))
  local y = tile_y(common.uniform(box.ymin, box.ymax))
  local path = template:gsub("{z}", ZOOM):gsub("{x}", x):gsub("{y}", y)
  return wrk.format("GET", path)
end
