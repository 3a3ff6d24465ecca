-- Reserve the right to send a new one-time sign-in code, unless the contact is locked, was sent a code
-- too recently, or another request is sending one now. The code itself is stored by otp-store.lua once
-- its send succeeded, so a failed send leaves nothing behind that would refuse the next request.
-- KEYS[1] otp hash of the contact
-- ARGV[1] now (ms)   ARGV[2] minimum resend interval (ms)   ARGV[3] how long a send may take (ms)
-- Returns {1, 0} reserved | {-1, wait ms} too soon (or a send in flight) | {-2, wait ms} locked.
local now = tonumber(ARGV[1])
local locked = tonumber(redis.call('HGET', KEYS[1], 'lockedUntil') or '0')
if locked > now then
  return {-2, locked - now}
end
local sent = tonumber(redis.call('HGET', KEYS[1], 'sentAt') or '0')
if now - sent < tonumber(ARGV[2]) then
  return {-1, tonumber(ARGV[2]) - (now - sent)}
end
local pending = tonumber(redis.call('HGET', KEYS[1], 'pendingUntil') or '0')
if pending > now then
  return {-1, pending - now}
end
redis.call('HSET', KEYS[1], 'pendingUntil', now + tonumber(ARGV[3]))
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3])) end
return {1, 0}
