-- Release a held entry (its person's identity now confirmed by the registry) so the draw takes it:
-- the entry is replaced only if the draw is still open and the entry is the one the caller read.
-- KEYS[1] draw meta hash   KEYS[2] the draw's entries bucket of this ticket
-- ARGV[1] ticket   ARGV[2] packed entry as read (held)   ARGV[3] packed entry released
-- Returns 1 released | 0 entry changed or gone | -3 draw no longer open
if redis.call('HGET', KEYS[1], 'state') ~= 'open' then
  return -3
end
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then
  return 0
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
return 1
