-- Append one event to the transparency log, once per (type, draw). The caller computed the leaf's hash
-- and the Merkle nodes it completes for the index it expects (Lua has no SHA-256); if another append
-- came first the caller recomputes and retries, so the stored nodes always belong to the stored leaves.
-- KEYS[1] leaves list   KEYS[2] nodes hash   KEYS[3] ids hash
-- ARGV[1] identity "<type>|<drawId>"   ARGV[2] expected index (the size before this append)
-- ARGV[3] leaf (canonical JSON)        ARGV[4..] pairs: node field "<level>:<index>", hex hash
-- Returns {'appended', index} | {'exists', index of the earlier leaf} | {'stale', current size}.
local existing = redis.call('HGET', KEYS[3], ARGV[1])
if existing then
  return {'exists', tonumber(existing)}
end
local size = redis.call('LLEN', KEYS[1])
if size ~= tonumber(ARGV[2]) then
  return {'stale', size}
end
if ARGV[4] ~= '0:' .. size then
  return redis.error_reply('log-append: the first node must be the leaf hash 0:' .. size)
end
redis.call('RPUSH', KEYS[1], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[1], size)
for i = 4, #ARGV, 2 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
end
return {'appended', size}
