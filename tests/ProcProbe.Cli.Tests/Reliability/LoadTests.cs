using System.Diagnostics;
using System.Globalization;
using System.Text;
using ProcProbe.Cli.Tests.Sessions;
using Xunit.Abstractions;

namespace ProcProbe.Cli.Tests.Reliability;

/// <summary>
/// Load: 2×cores+2 client processes hammer several probe files at once. Every write(2) must reach the
/// handlers exactly once and in order, every read must return one complete snapshot, nothing may
/// deadlock, and procprobe's memory must not grow with the number of reads.
/// </summary>
[Collection(nameof(FuseProcessCollection))]
public sealed class LoadTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ClientDeadline = TimeSpan.FromMinutes(3);

    internal static string SnapshotScript => $$"""
        global writes, chunk, seq, pad
        probe begin { pad = "{{LoadClient.SnapshotPad}}" }
        probe procfs("snap").read { $value = sprintf("%d:%s:%d\n", writes, pad, writes) }
        probe procfs("stats/snap").read { $value = sprintf("%d:%s:%d\n", writes, pad, writes) }
        probe procfs("data").write { writes++; chunk[pid(), seq[pid()]++] = $value }
        probe procfs("stats/data").write { writes++; chunk[pid(), seq[pid()]++] = $value }
        probe end {
          printf("writes %d\n", writes)
          foreach ([p, i] in chunk) printf("%d %d %s\n", p, i, chunk[p, i])
        }
        """;

    [Fact]
    public void ConcurrentClients_EveryWriteSeenOnce_InOrder_EveryReadACompleteSnapshot()
    {
        int clients = 2 * Environment.ProcessorCount + 2;
        int readers = (clients + 1) / 2, writers = clients / 2; // even indexes read, odd ones write
        const int readsPerReader = 20_000, recordsPerWriter = 15_000;
        int[] chunkSizes = [16, 128, 4096, 61];

        using var run = ReliabilityProcess.Start(SnapshotScript, ["-DMAXMAPENTRIES=400000", "-DMAXACTION=100000000"]);
        var started = new List<(Process P, string? WriterId)>();
        for (int i = 0; i < clients; i++)
        {
            if (i % 2 == 0)
            {
                string file = run.PathOf(i % 4 < 2 ? "snap" : "stats/snap");
                started.Add((LoadClient.Start("read", file, readsPerReader.ToString(CultureInfo.InvariantCulture),
                    chunkSizes[i % chunkSizes.Length].ToString(CultureInfo.InvariantCulture)), null));
            }
            else
            {
                string id = "w" + i.ToString(CultureInfo.InvariantCulture);
                string file = run.PathOf(i % 4 < 2 ? "data" : "stats/data");
                started.Add((LoadClient.Start("write", file, recordsPerWriter.ToString(CultureInfo.InvariantCulture), id), id));
            }
        }
        var results = started.Select(s => (Result: LoadClient.Finish(s.P, ClientDeadline), s.WriterId)).ToList();
        foreach (var (r, _) in results)
        {
            Assert.True(r.ExitCode == 0 && r.Errors == 0, $"client failed: {r}");
        }

        Assert.Equal(0, run.Stop(ReliabilityProcess.SigTerm));
        Assert.False(Mounts.IsMountPoint(run.Directory), "mount left behind");

        // The script's view: total handler runs, and every writer's chunks in order.
        string[] lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        long writeCalls = results.Where(r => r.WriterId is not null).Sum(r => r.Result.Calls);
        Assert.Equal($"writes {writeCalls}", lines[0]);
        var byPid = new Dictionary<int, SortedDictionary<long, string>>();
        foreach (string line in lines.Skip(1))
        {
            string[] f = line.Split(' ', 3);
            int pid = int.Parse(f[0], CultureInfo.InvariantCulture);
            if (!byPid.TryGetValue(pid, out var chunks))
            {
                byPid[pid] = chunks = new SortedDictionary<long, string>();
            }
            chunks.Add(long.Parse(f[1], CultureInfo.InvariantCulture), f[2]);
        }
        foreach (var (r, id) in results.Where(r => r.WriterId is not null))
        {
            var expected = new StringBuilder();
            for (long i = 0; i < recordsPerWriter; i++)
            {
                expected.Append(LoadClient.Record(id!, i));
            }
            Assert.True(byPid.TryGetValue(r.Pid, out var chunks), $"the script saw no write from writer {id} (pid {r.Pid})");
            Assert.Equal(r.Calls, chunks!.Count);
            Assert.Equal(Enumerable.Range(0, chunks.Count).Select(i => (long)i), chunks.Keys);
            string seen = string.Concat(chunks.Values);
            Assert.True(expected.ToString() == seen, $"writer {id}: the handlers saw {seen.Length} bytes, the writer wrote {expected.Length}; first difference at {FirstDifference(expected.ToString(), seen)}");
        }
        Assert.Equal(writers, byPid.Count);

        long snapshots = results.Where(r => r.WriterId is null).Sum(r => r.Result.Ops);
        long operations = snapshots + writeCalls;
        Assert.True(operations >= 100_000, $"only {operations} operations");
        Assert.All(results.Where(r => r.WriterId is null), r => Assert.InRange(r.Result.MaxN, 0, writeCalls));
        output.WriteLine($"clients {clients} ({readers} readers, {writers} writers); snapshots {snapshots}; write calls {writeCalls}; operations {operations}; read calls {results.Where(r => r.WriterId is null).Sum(r => r.Result.Calls)}");
    }

    [Fact]
    public void MillionReads_MemoryStaysFlat_AfterWarmUp()
    {
        const string script = """
            global n
            probe procfs("counter").read { n++; $value = sprintf("%d %s\n", n, execname()) }
            probe end { printf("reads %d\n", n) }
            """;
        int clients = 2 * Environment.ProcessorCount + 2;
        const int warmUpPerClient = 20_000;
        int perClient = (1_000_000 + clients - 1) / clients;

        using var run = ReliabilityProcess.Start(script);
        string file = run.PathOf("counter");
        RunReaders(clients, warmUpPerClient, file);

        long baseline = run.RssKb();
        var samples = new List<long>();
        bool done = false;
        var sampler = new Thread(() =>
        {
            // The sampler must never throw: an exception on this thread would take the whole test host down.
            while (!Volatile.Read(ref done))
            {
                try
                {
                    long rss = run.RssKb();
                    lock (samples)
                    {
                        samples.Add(rss);
                    }
                }
                catch (IOException)
                {
                    return;
                }
                Thread.Sleep(100);
            }
        });
        sampler.Start();
        try
        {
            RunReaders(clients, perClient, file);
        }
        finally
        {
            Volatile.Write(ref done, true);
            sampler.Join();
        }
        long after = run.RssKb();

        Assert.Equal(0, run.Stop(ReliabilityProcess.SigTerm));
        long total = (long)clients * (warmUpPerClient + perClient);
        Assert.Equal($"reads {total}\n", run.Stdout);
        long peak = samples.Append(after).Max();
        output.WriteLine($"clients {clients}; reads {total} (warm-up {clients * warmUpPerClient}); VmRSS baseline {baseline} KiB, peak {peak} KiB, after {after} KiB, samples {samples.Count}");

        // Tolerance 4 MiB: the GC's gen0 budget and segment commits, and libfuse's request buffers, move
        // RSS by a few MiB at most; a leak of even 5 bytes per read would exceed it over 1,000,000 reads.
        Assert.True(peak <= baseline + ToleranceKb, $"VmRSS grew from {baseline} KiB to {peak} KiB over {clients * perClient} reads");
    }

    internal const long ToleranceKb = 4096;

    private static void RunReaders(int clients, int perClient, string file)
    {
        var procs = Enumerable.Range(0, clients).Select(_ => LoadClient.Start("readraw", file, perClient.ToString(CultureInfo.InvariantCulture))).ToList();
        foreach (var p in procs)
        {
            var r = LoadClient.Finish(p, ClientDeadline);
            Assert.True(r.ExitCode == 0 && r.Errors == 0 && r.Ops == perClient, $"reader failed: {r}");
        }
    }

    private static int FirstDifference(string a, string b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            if (a[i] != b[i])
            {
                return i;
            }
        }
        return n;
    }
}
