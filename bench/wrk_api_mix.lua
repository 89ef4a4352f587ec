-- wrk script: the requests the dashboard makes when a filter changes (page,
-- month and stacked aggregates, provinces, districts, map points), over
-- random filters of a store made by `sitrep bench --store` (synthetic
-- groups, provinces, 2009-2014), plus /api/meta and an event's sources.
--
--   wrk -t2 -c8 -d20s --latency -s bench/wrk_api_mix.lua http://127.0.0.1:8080
--
-- MODE=uncached (default): every request carries a fresh `n=` parameter, so
-- no two query strings are equal and the server's answer cache never hits.
-- MODE=cached: 64 fixed query strings, answered from the cache after the
-- first round.
local mode = os.getenv("MODE") or "uncached"
local groups = {"taliban", "haqqani", "imu", "aq", "hig"}
local types = {"raid", "detention", "airstrike", "bombing"}
local provinces = {"Kandahar", "Helmand", "Kunduz", "Khost", "Paktiya", "Ghazni", "Nangarhar",
                   "Kabul", "Herat", "Balkh"}
local sorts = {"date", "killed", "captured", "province", "district", "type", "group", "sources"}
local counter = 0

local function pick(t) return t[math.random(#t)] end

local function filter()
  local f = {}
  local r = math.random(10)
  if r <= 3 then f[#f + 1] = "group=" .. pick(groups) end
  if r == 4 or r == 5 then f[#f + 1] = "type=" .. pick(types) end
  if r == 6 or r == 7 then f[#f + 1] = "province=" .. pick(provinces) end
  if r == 8 then
    local y = 2009 + math.random(0, 5)
    local m = math.random(1, 12)
    f[#f + 1] = string.format("since=%d-%02d-01&until=%d-%02d-28", y, m, y, m)
  end
  if r == 9 then f[#f + 1] = "leaders=1&group=" .. pick(groups) end
  return table.concat(f, "&")
end

local function path()
  local f = filter()
  local r = math.random(20)
  local p
  if r <= 5 then
    p = "/api/events?limit=50&sort=" .. pick(sorts) .. "&order=" .. pick({"asc", "desc"}) ..
        "&offset=" .. (50 * math.random(0, 3))
  elseif r <= 8 then
    p = "/api/aggregate?by=month"
  elseif r <= 11 then
    p = "/api/aggregate?by=month&then=" .. pick({"group", "type"})
  elseif r <= 13 then
    p = "/api/aggregate?by=province"
  elseif r <= 15 then
    p = "/api/aggregate?by=district"
  elseif r <= 18 then
    p = "/api/points"
  elseif r == 19 then
    p = "/api/meta"
    f = ""
  else
    p = "/api/events/synthetic-" .. math.random(0, 99999) .. "%230"
    f = ""
  end
  if f ~= "" then p = p .. (p:find("?", 1, true) and "&" or "?") .. f end
  return p
end

local fixed = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  math.randomseed(7 + id)
  if mode == "cached" then
    math.randomseed(7)  -- every thread asks for the same 64 strings
    for i = 1, 64 do fixed[i] = path() end
  end
  seq = 0
end

function request()
  seq = seq + 1
  if mode == "cached" then return wrk.format("GET", fixed[(seq % #fixed) + 1]) end
  local p = path()
  p = p .. (p:find("?", 1, true) and "&" or "?") .. "n=" .. id .. "-" .. seq
  return wrk.format("GET", p)
end

function response(status, headers, body)
  if status ~= 200 and status ~= 404 then
    io.stderr:write("status " .. status .. "\n")
  end
end
