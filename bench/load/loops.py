# 32 concurrent calls of an endless loop (loop.wasm with limits.timeoutMs 2000) while one client calls greet
# (hello.wasm) in a row, against a runtime on PORT: prints the slowest loop and greet's latencies.
#   python3 bench/load/loops.py PORT      (docs/benchmarks.md, "Runtime limits")
import threading, time, urllib.request, sys, json
port=sys.argv[1]
def post(path, body):
    t=time.time()
    req=urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body.encode(), headers={"Content-Type":"application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r: code=r.status; r.read()
    except urllib.error.HTTPError as e: code=e.code; e.read()
    return code, time.time()-t
for i in range(10): post("/functions/greet",'{"name":"w"}')
loops=[]
def loop():
    loops.append(post("/functions/spin","{}"))
ts=[threading.Thread(target=loop) for _ in range(32)]
[t.start() for t in ts]
greets=[]
while any(t.is_alive() for t in ts):
    greets.append(post("/functions/greet",'{"name":"x"}')[1])
[t.join() for t in ts]
greets.sort()
print("loops max %.2fs codes %s" % (max(l[1] for l in loops), sorted(set(l[0] for l in loops))), "greets n=%d p50=%.3f p99=%.3f max=%.3f" % (len(greets), greets[len(greets)//2], greets[int(len(greets)*0.99)-1] if len(greets)>1 else greets[0], greets[-1]))
