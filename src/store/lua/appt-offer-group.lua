-- Offer places in one session to every member of a group, or to none: the capacity check and all the
-- members' offers are one script, so two releases offered at once can never seat part of a group.
-- A member that already has an appointment (a repeated offer job) keeps it and needs no new place.
-- KEYS[1] ticket → code hash of the draw   KEYS[2] day held counters   KEYS[3] day appointments set
-- KEYS[4] day waitlist zset   KEYS[5] open offers zset
-- KEYS[6], KEYS[7], ... each member's new appointment hash (for its code), member 0 first
-- ARGV[1] session id   ARGV[2] capacity   ARGV[3] deadline ms   ARGV[4] now ms   ARGV[5] cause
-- ARGV[6 + 3(i-1)] .. ARGV[8 + 3(i-1)] member i: new code, ticket, appointment fields JSON
-- Returns {1, code_1, new_1, code_2, new_2, ...} (new_i 1 if offered now, 0 if it existed)
-- | {-1, free places} the session cannot take the members who still need a place.
--- @include "appt-offer"

local n = #KEYS - 5
local need = 0
for i = 1, n do
  if not redis.call('HGET', KEYS[1], ARGV[7 + 3 * (i - 1)]) then
    need = need + 1
  end
end
local free = tonumber(ARGV[2]) - tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if need > free then
  return {-1, tostring(free)}
end
local out = {1}
for i = 1, n do
  local b = 6 + 3 * (i - 1)
  local r = appt_offer({KEYS[1], KEYS[5 + i], KEYS[2], KEYS[3], KEYS[4], KEYS[5]},
    {ARGV[b], ARGV[b + 1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[b + 2], ARGV[5]})
  table.insert(out, r[2])
  table.insert(out, r[1])
end
return out
