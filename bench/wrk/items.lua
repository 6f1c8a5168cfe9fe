-- OGC API items with a random 0.01-degree bbox inside the city and limit=100.
-- wrk -s items.lua URL -- SEED XMIN YMIN XMAX YMAX PATH [EXTRA_QUERY]
-- PATH is the items path of the collection on the server measured.
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
local common = require("common")
local box, path, extra

setup = common.setup
done = common.done

function init(args)
  box = common.parse(args)
  path = args[6]
  extra = args[7] or ""
end

function request()
  local x = common.uniform(box.xmin, box.xmax - 0.01)
  local y = common.uniform(box.ymin, box.ymax - 0.01)
  local query = string.format("bbox=%.6f,%.6f,%.6f,%.6f&limit=100%s", x, y, x + 0.01, y + 0.01, extra)
  return wrk.format("GET", path .. "?" .. query)
end
