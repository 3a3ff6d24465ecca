-- Take back a check-in recorded by mistake at the counter: checked_in becomes confirmed again, but only
-- for a few minutes after the check-in. The place stays held throughout (both states hold it).
-- KEYS[1] appointment hash
-- ARGV[1] now ms   ARGV[2] how long after the check-in an undo is allowed, ms   ARGV[3] cause (who undid it)
-- The caller claims the person's active slot again before this script (another key slot).
-- What the check-in recorded (field `arrival`: the claim counted, a document not seen and its strike) is
-- handed back once, for the caller to reverse, and cleared with the officer's proof record.
-- Returns {1, arrival JSON or ''} undone | {-1, state} not checked in | {-2, checked-in-at ms} too late
-- | {-3, ''} unknown
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
  return {-3, ''}
end
if state ~= 'checked_in' then
  return {-1, state}
end
local at = redis.call('HGET', KEYS[1], 'checked_inAt') or '0'
if tonumber(ARGV[1]) > tonumber(at) + tonumber(ARGV[2]) then
  return {-2, at}
end
local history = cjson.decode(redis.call('HGET', KEYS[1], 'history') or '[]')
table.insert(history, {state = 'confirmed', at = tonumber(ARGV[1]), cause = ARGV[3]})
redis.call('HSET', KEYS[1], 'state', 'confirmed', 'history', cjson.encode(history))
local arrival = redis.call('HGET', KEYS[1], 'arrival') or ''
redis.call('HDEL', KEYS[1], 'checked_inAt', 'arrival', 'proofCheck')
return {1, arrival}
