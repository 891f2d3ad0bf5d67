#!/usr/bin/env python3
"""Run a command on a pseudo-terminal of a given size and relay it over pipes.

Usage: pty-relay.py COLS ROWS CMD [ARGS...]
Prints "pid N" (the command's pid) on stderr first, then relays stdin to the terminal and the
terminal's output to stdout until the command exits. Python's stdlib pty is used because Node
has no pseudo-terminal without a native add-on.

This relay is the terminal: a real terminal shows bytes when it reads them from the pty and a
key reaches the program when the terminal writes it to the pty. So each record on stdout says
when that happened (wall clock, ms), and the probe's figures are taken from these times, not
from when its own (busy) event loop got round to the pipe. Records, little-endian:
  b"O" <float64 ms> <uint32 n> <n bytes>   n bytes read from the terminal at ms
  b"I" <float64 ms> <uint32 n>             n bytes of stdin written to the terminal at ms
"""
import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time

cols, rows, cmd = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    # The child's stdin is the terminal: size it before the program can ask.
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.execvp(cmd[0], cmd)


def write_all(out, data):
    while data:
        data = data[os.write(out, data):]


os.set_blocking(1, False)


def now_ms():
    return time.time() * 1000.0


write_all(2, f"pid {pid}\n".encode())
# Output waiting for the probe. The terminal reads the pty as soon as there is something to
# read, whether or not the probe has caught up: a probe busy replaying frames must not hold the
# program's output back (nor be counted in its latency).
pending = []
inputs = [fd, 0]
while True:
    try:
        ready, writable, _ = select.select(inputs, [1] if pending else [], [])
    except InterruptedError:
        continue
    # Keys first: a key waiting behind a large read of output would be measured late.
    if 0 in ready:
        data = os.read(0, 4096)
        if data:
            write_all(fd, data)
            pending.append(b"I" + struct.pack("<dI", now_ms(), len(data)))
        else:
            inputs.remove(0)
    if fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        pending.append(b"O" + struct.pack("<dI", now_ms(), len(data)) + data)
    if pending:
        # Non-blocking: as much as the pipe takes now, the rest on the next turn.
        blob = b"".join(pending)
        try:
            n = os.write(1, blob)
        except BlockingIOError:
            n = 0
        pending = [blob[n:]] if n < len(blob) else []
os.set_blocking(1, True)
for chunk in pending:
    write_all(1, chunk)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
