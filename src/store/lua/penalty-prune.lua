-- Drop expired no-show penalties from the global penalties hash the draw reads.
-- Conditional per field, so a penalty renewed between the caller's scan and this call survives.
-- KEYS[1] penalties hash (nikHash → penalty-until ms)
-- ARGV[1] now ms   ARGV[2..] nik hashes the caller saw as expired
-- Returns the number of fields removed.
local now = tonumber(ARGV[1])
local removed = 0
for i = 2, #ARGV do
  local untilMs = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '')
  if untilMs ~= nil and untilMs <= now then
    removed = removed + redis.call('HDEL', KEYS[1], ARGV[i])
  end
end
return removed
