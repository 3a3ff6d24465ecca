-- Append a new rules version if the caller saw the latest one (optimistic concurrency).
-- KEYS[1] rules current (string JSON)   KEYS[2] rules history (list)
-- ARGV[1] expected current version (0 = none yet)   ARGV[2] new record JSON without version
-- ARGV[3] version placeholder in ARGV[2] ("__VERSION__")
-- Returns the new version number, or -1 if the expected version is stale.
local current = redis.call('GET', KEYS[1])
local version = 0
if current then
  version = tonumber(cjson.decode(current)['version'])
end
if version ~= tonumber(ARGV[1]) then
  return -1
end
local newVersion = version + 1
local record = string.gsub(ARGV[2], ARGV[3], tostring(newVersion), 1)
redis.call('SET', KEYS[1], record)
redis.call('RPUSH', KEYS[2], record)
return newVersion
