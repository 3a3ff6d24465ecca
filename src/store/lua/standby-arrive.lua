-- Record at the counter that a person (and with them their whole group) on the day's standby line has
-- come: only arrived people are seated, in the line's order. Marking again keeps the first arrival.
-- KEYS[1] day standby zset   KEYS[2] standby people hash   KEYS[3] standby arrived hash
-- KEYS[4] standby log list
-- ARGV[1] ticket   ARGV[2] now ms   ARGV[3] officer username
-- Returns {1, ticket_1, ticket_2, ...} the tickets marked (the group's, in line order) | {-1} not on the line
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  return {-1}
end
local me = cjson.decode(redis.call('HGET', KEYS[2], ARGV[1]))
local tickets = me.members
local out = {1}
for _, t in ipairs(tickets) do
  redis.call('HSETNX', KEYS[3], t, ARGV[2] .. '|' .. ARGV[3])
  table.insert(out, t)
end
redis.call('RPUSH', KEYS[4], cjson.encode({at = tonumber(ARGV[2]), by = ARGV[3], arrived = tickets}))
return out
