-- Third step of a NIK hash move: points the account's person record at the new hash.
-- KEYS[1] account persons hash
-- ARGV[1] person id   ARGV[2] old hash   ARGV[3] new hash
-- Returns 1 the record now holds the new hash | 0 no such person | -1 the record holds some other hash
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then
  return 0
end
local new = '"nikHash":"' .. ARGV[3] .. '"'
if string.find(raw, new, 1, true) then
  return 1
end
local old = '"nikHash":"' .. ARGV[2] .. '"'
local at = string.find(raw, old, 1, true)
if not at then
  return -1
end
redis.call('HSET', KEYS[1], ARGV[1], string.sub(raw, 1, at - 1) .. new .. string.sub(raw, at + #old))
return 1
