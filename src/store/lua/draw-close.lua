-- Close a draw to new entries. A draw nobody entered is created closed, with its own seed, so that
-- every draw day has a published record.
-- KEYS[1] draw meta hash   KEYS[2] office draw index
-- ARGV[1] office id  ARGV[2] draw date  ARGV[3] target date  ARGV[4] seed  ARGV[5] commitment
-- ARGV[6] now ms     ARGV[7] rules version in force  ARGV[8] draw index score
-- ARGV[9] beacon anchor (JSON, '' = unanchored): seed, commitment and anchor are an opening (draw-spec.ts)
-- Returns the state after the call: 'closed' (now or before), 'drawn' (already done).
local state = redis.call('HGET', KEYS[1], 'state')
if not state then
  redis.call('HSET', KEYS[1], 'state', 'open', 'officeId', ARGV[1], 'drawDate', ARGV[2], 'targetDate', ARGV[3],
    'seed', ARGV[4], 'commitment', ARGV[5], 'openedAt', ARGV[6], 'anchor', ARGV[9])
  redis.call('ZADD', KEYS[2], ARGV[8], ARGV[2])
  state = 'open'
end
if state == 'open' then
  redis.call('HSET', KEYS[1], 'state', 'closed', 'closedAt', ARGV[6], 'rulesVersion', ARGV[7])
  return 'closed'
end
return state
