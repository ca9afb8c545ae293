package imageprep

import (
	"context"
	"runtime"
	"sync"
)

// Job is one photo to prepare; Load reads its bytes when a worker is free,
// so at most one file per worker is in memory.
type Job struct {
	Key  string // the caller's name for the job
	Name string // file name, for the extension check
	Load func() ([]byte, error)
}

// Result is the outcome of one Job.
type Result struct {
	Job      Job
	Prepared *Prepared
	Err      error
}

// Run prepares jobs on workers goroutines (every core when workers <= 0) and
// calls emit for each result, one call at a time, in completion order. It
// returns when every job is done, or soon after ctx is cancelled (jobs not
// yet started are then not reported).
func Run(ctx context.Context, jobs []Job, opt Options, workers int, emit func(Result)) {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	queue := make(chan Job)
	var (
		wg     sync.WaitGroup
		emitMu sync.Mutex
	)
	for range min(workers, max(len(jobs), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range queue {
				r := runJob(job, opt)
				emitMu.Lock()
				emit(r)
				emitMu.Unlock()
			}
		}()
	}
feed:
	for _, job := range jobs {
		select {
		case queue <- job:
		case <-ctx.Done():
			break feed
		}
	}
	close(queue)
	wg.Wait()
}

func runJob(job Job, opt Options) Result {
	data, err := job.Load()
	if err != nil {
		return Result{Job: job, Err: err}
	}
	p, err := Prepare(job.Name, data, opt)
	return Result{Job: job, Prepared: p, Err: err}
}
