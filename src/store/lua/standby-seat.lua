-- Seat the day's standby line in one session: the free places (capacity minus checked in; a confirmed
-- person who has not come by the standby moment no longer holds one) go to the best-ranked arrived people
-- that fit, a group whole or not at all (a group that does not fit is skipped for a smaller one after
-- it), each only in a session their preferences allow. A seated person is checked in at once and their
-- carried entry leaves the next draw in the same step (one person, one active entry); someone whose
-- carried entry already won a place there, or whose next draw is being drawn, is not seated.
-- KEYS[1] day standby zset   KEYS[2] standby people hash   KEYS[3] standby arrived hash
-- KEYS[4] standby seated counters   KEYS[5] day held counters   KEYS[6] day appointments set
-- KEYS[7] ticket → code hash of the day's draw   KEYS[8] standby log list
-- KEYS[9] .. KEYS[8 + ARGV[5]] the day's appointment hashes (to count who is checked in)
-- then for each candidate c, 5 keys: new appointment hash (its code), next draw meta hash, next draw's
-- entries bucket of the carried ticket, next draw's ticket → code hash, next draw's day waitlist zset
-- (a candidate without a carried entry passes KEYS[1] for the last four)
-- ARGV[1] session id   ARGV[2] capacity   ARGV[3] now ms   ARGV[4] officer   ARGV[5] count of day appointments
-- ARGV[6] office id   ARGV[7] date   then for each candidate c: ticket, new code (candidates in line order)
-- Returns {free places before, seated count, ticket_1, code_1, ticket_2, code_2, ...}
local session = ARGV[1]
local now = ARGV[3]
local r = tonumber(ARGV[5])
local checkedIn = tonumber(redis.call('HGET', KEYS[4], session) or '0')
for i = 9, 8 + r do
  local s = redis.call('HMGET', KEYS[i], 'sessionId', 'state', 'source')
  -- Seated standby places are counted by KEYS[4], also those created after the caller read the day.
  if s[1] == session and s[2] == 'checked_in' and s[3] ~= 'standby' then
    checkedIn = checkedIn + 1
  end
end
local free = tonumber(ARGV[2]) - checkedIn
local freeBefore = free
local index = {}
local base = 8 + r
local count = (#ARGV - 7) / 2
for c = 1, count do
  index[ARGV[6 + 2 * c]] = c
end

local function nextBlocked(info, c)
  if (info.nextTicket or '') == '' then return false end
  local k = base + 5 * (c - 1)
  local state = redis.call('HGET', KEYS[k + 2], 'state')
  if state == 'open' then return false end
  if state == 'drawn' then return redis.call('HGET', KEYS[k + 4], info.nextTicket) ~= false end
  return true
end

local function prefsAllow(info)
  if type(info.prefs) ~= 'table' then return true end
  for _, p in ipairs(info.prefs) do
    if p == session then return true end
  end
  return false
end

local out = {freeBefore, 0}
local done = {}
for c = 1, count do
  local ticket = ARGV[6 + 2 * c]
  if not done[ticket] and free > 0 then
    local raw = redis.call('HGET', KEYS[2], ticket)
    local info = raw and cjson.decode(raw)
    local members = info and info.members or {}
    local unit = {}
    local ok = info and prefsAllow(info) or false
    for _, m in ipairs(members) do
      done[m] = true
      local mc = index[m]
      local mraw = mc and redis.call('HGET', KEYS[2], m)
      if not mraw or redis.call('HEXISTS', KEYS[3], m) == 0 or redis.call('HGET', KEYS[7], m) then
        ok = false
      else
        local minfo = cjson.decode(mraw)
        if nextBlocked(minfo, mc) then ok = false end
        table.insert(unit, {ticket = m, c = mc, info = minfo})
      end
    end
    if ok and #unit > 0 and #unit <= free then
      for _, u in ipairs(unit) do
        local k = base + 5 * (u.c - 1)
        local code = ARGV[7 + 2 * u.c]
        local history = cjson.encode({{state = 'checked_in', at = tonumber(now),
          cause = 'seated from standby by ' .. ARGV[4]}})
        redis.call('HSET', KEYS[k + 1], 'officeId', ARGV[6], 'date', ARGV[7], 'drawDate', u.info.drawDate,
          'accountId', u.info.accountId, 'personId', u.info.personId, 'nikHash', u.info.nikHash,
          'source', 'standby', 'code', code, 'ticket', u.ticket, 'sessionId', session, 'state', 'checked_in',
          'deadline', now, 'offeredAt', now, 'checked_inAt', now, 'history', history)
        redis.call('HSET', KEYS[7], u.ticket, code)
        redis.call('SADD', KEYS[6], code)
        redis.call('HINCRBY', KEYS[5], session, 1)
        redis.call('HINCRBY', KEYS[4], session, 1)
        local nt = u.info.nextTicket or ''
        if nt ~= '' then
          if redis.call('HGET', KEYS[k + 2], 'state') == 'open' then
            if redis.call('HDEL', KEYS[k + 3], nt) == 1 then
              redis.call('HINCRBY', KEYS[k + 2], 'entries', -1)
            end
          else
            redis.call('ZREM', KEYS[k + 5], nt)
          end
        end
        free = free - 1
        out[2] = out[2] + 1
        table.insert(out, u.ticket)
        table.insert(out, code)
      end
    end
  end
end
local seated = {}
for i = 3, #out, 2 do table.insert(seated, out[i]) end
redis.call('RPUSH', KEYS[8], cjson.encode({at = tonumber(now), by = ARGV[4], session = session,
  free = freeBefore, seated = seated}))
return out
