// The Native AOT side of bench/e2e.sh's start-up floor: makes args[0] readable with "abc\n" (written
// beside it, then renamed into place) and waits to be killed, like floor.c. What it costs beyond
// floor.c is the runtime's start, which every procprobe start pays before Main.
string path = args[0];
File.WriteAllText(path + ".tmp", "abc\n");
File.Move(path + ".tmp", path, overwrite: true);
Thread.Sleep(Timeout.Infinite);
