#!/usr/bin/env python3
"""Run a command on a pseudo-terminal of a given size and relay it over pipes.

Usage: pty-relay.py COLS ROWS CMD [ARGS...]
Prints "pid N" (the command's pid) on stderr first, then copies the terminal's output to
stdout and stdin to the terminal, byte for byte, until the command exits. Python's stdlib pty
is used because Node has no pseudo-terminal without a native add-on.
"""
import fcntl
import os
import pty
import select
import struct
import sys
import termios

cols, rows, cmd = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    # The child's stdin is the terminal: size it before the program can ask.
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.execvp(cmd[0], cmd)



def write_all(out, data):
    while data:
        data = data[os.write(out, data):]


write_all(2, f"pid {pid}\n".encode())
inputs = [fd, 0]
while True:
    try:
        ready, _, _ = select.select(inputs, [], [])
    except InterruptedError:
        continue
    if fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        write_all(1, data)
    if 0 in ready:
        data = os.read(0, 4096)
        if data:
            write_all(fd, data)
        else:
            inputs.remove(0)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
