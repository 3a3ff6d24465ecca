-- Claim a person's one active slot (entry or appointment) before the office step of a join.
-- KEYS[1] nik hash (ban)   KEYS[2] person's active key
-- ARGV[1] active pointer "officeId|drawDate|ticket"   ARGV[2] now ms
-- The value stored is "pointer@claimedAtMs": the claim time tells a crashed half-join from one in flight.
-- Returns {1, ''} claimed | {-2, "pointer@ms"} already active | {-4, bannedUntil ms} banned
local bannedUntil = tonumber(redis.call('HGET', KEYS[1], 'bannedUntil') or '0')
if bannedUntil > tonumber(ARGV[2]) then
  return {-4, tostring(bannedUntil)}
end
local active = redis.call('GET', KEYS[2])
if active then
  return {-2, active}
end
redis.call('SET', KEYS[2], ARGV[1] .. '@' .. ARGV[2])
return {1, ''}
