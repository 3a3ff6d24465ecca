-- Check a one-time code: single use, expiring, and burned after too many wrong tries. Every failed try
-- counts against the contact whether or not a code is outstanding, so the answer (tries left) is the same
-- either way and tells nobody whether the contact asked for a code. A burned code never locks the
-- contact out: otp-issue.lua gives a new one (within its per-window cap), with fresh tries.
-- KEYS[1] otp hash of the contact
-- ARGV[1] code hash   ARGV[2] now (ms)   ARGV[3] max wrong tries per code   ARGV[4] keep a tries-only record (ms)
-- Returns {1, 0, 0} ok | {-4, tries left, 1 if this try burned an outstanding code else 0}.
local now = tonumber(ARGV[2])
local maxTries = tonumber(ARGV[3])
local stored = redis.call('HGET', KEYS[1], 'codeHash')
local expires = tonumber(redis.call('HGET', KEYS[1], 'expiresAt') or '0')
local live = stored and expires > now
if live and stored == ARGV[1] then
  -- The issue history stays: signing in does not reset the per-window cap (the resend wait does end).
  redis.call('HDEL', KEYS[1], 'codeHash', 'expiresAt', 'tries', 'sentAt')
  return {1, 0, 0}
end
local tries = redis.call('HINCRBY', KEYS[1], 'tries', 1)
if redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
end
local burned = 0
if tries >= maxTries and stored then
  redis.call('HDEL', KEYS[1], 'codeHash', 'expiresAt')
  if live then burned = 1 end
end
return {-4, math.max(0, maxTries - tries), burned}
