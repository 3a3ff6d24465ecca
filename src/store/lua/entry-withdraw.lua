-- The office step of withdrawing (by the applicant) or voiding (by an admin block) an entry while its
-- draw is still open. The caller then releases the person's active slot and updates the account record.
-- KEYS[1] draw meta hash   KEYS[2] the draw's entries bucket of this ticket
-- ARGV[1] ticket   ARGV[2] account id
-- Returns 1 removed | -1 no such entry of this account | -3 draw no longer open
local packed = redis.call('HGET', KEYS[2], ARGV[1])
if not packed then
  return -1
end
-- The packed entry starts with the account id (src/store/entry-codec.ts).
if string.match(packed, '^[^|]*') ~= ARGV[2] then
  return -1
end
if redis.call('HGET', KEYS[1], 'state') ~= 'open' then
  return -3
end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HINCRBY', KEYS[1], 'entries', -1)
return 1
