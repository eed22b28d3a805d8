package sampledata

import (
	"math/big"
	"math/rand/v2"
	"time"
)

// The fleet's traffic is made hour by hour: the hour that starts at a multiple of bucketLen
// since the Unix epoch (UTC) holds a number of events fixed by the rate and the hour of day, each
// drawn from a random stream seeded by (Seed, hour) alone. The table at Now is the events of the
// hours that overlap [Now-Span, Now), cut to that window: two instants an hour apart share all
// but one hour of traffic, so the demo slides forward as time passes instead of being redrawn,
// and any window of traffic can be made without making the rest.
const bucketLen = time.Hour

// hourWeights is the fleet's activity by hour of day (UTC): office hours, 07:00 to 19:00, are
// busier than the night.
var hourWeights = [24]int64{3, 3, 3, 3, 3, 3, 3, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3, 3, 3, 3, 3}

// hourCum[h] is the weight of the hours of the day before h; hourCum[24] the day's.
var hourCum = func() (c [25]int64) {
	for h, w := range hourWeights {
		c[h+1] = c[h] + w
	}
	return c
}()

// bucketOf is the index of the hour that holds t.
func bucketOf(t time.Time) int64 { return floorDiv(t.Unix(), int64(bucketLen/time.Second)) }

func bucketStart(b int64) time.Time { return time.Unix(b*int64(bucketLen/time.Second), 0).UTC() }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// rowsBefore is the number of the fleet's events before the start of hour b (counted from the
// epoch): rows per span times the weighted time elapsed, rounded. An hour holds
// rowsBefore(b+1) - rowsBefore(b) events. Because the count is rounded once, cumulatively, and
// exactly (integers, not floats), a window of whole days that starts on the hour holds exactly
// rows*days/span events: exactly Rows when Span is that many days.
func rowsBefore(rows int, span time.Duration, b int64) int64 {
	day, hour := floorDiv(b, 24), b-24*floorDiv(b, 24)
	// rows * (day + hourCum[hour]/dayWeight) * 24h / span, rounded half up.
	num := new(big.Int).SetInt64(day)
	num.Mul(num, big.NewInt(hourCum[24]))
	num.Add(num, big.NewInt(hourCum[hour]))
	num.Mul(num, big.NewInt(int64(rows)))
	num.Mul(num, big.NewInt(int64(24*time.Hour)))
	den := new(big.Int).Mul(big.NewInt(int64(span)), big.NewInt(hourCum[24]))
	num.Lsh(num, 1).Add(num, den)
	den.Lsh(den, 1)
	return num.Div(num, den).Int64() // Euclidean division: the floor, as den > 0
}

// bucketRows is the number of the fleet's events in hour b.
func bucketRows(rows int, span time.Duration, b int64) int {
	return int(rowsBefore(rows, span, b+1) - rowsBefore(rows, span, b))
}

// bucketRand is hour b's random stream: a function of the seed and the hour only.
func bucketRand(seed int64, b int64) *rand.Rand {
	return rand.New(rand.NewPCG(splitmix(uint64(seed)^0x6a09e667f3bcc909), splitmix(uint64(b)^0xbb67ae8584caa73b)))
}

// splitmix is SplitMix64's finaliser: nearby inputs give unrelated outputs.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// Report ids: hour b's i-th event is b<<reportShift + i; the planted events of an hour count down
// from the top of its range. Ids are unique while an hour holds fewer than 1<<reportShift rows.
const reportShift = 24

func reportID(b int64, i int) int64 { return b<<reportShift + int64(i) }

func plantedReportID(b int64, k int) int64 { return b<<reportShift + 1<<reportShift - 1 - int64(k) }
