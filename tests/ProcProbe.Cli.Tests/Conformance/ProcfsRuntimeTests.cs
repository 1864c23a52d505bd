using System.Text;
using ProcProbe.Cli.Tests.Sessions;

namespace ProcProbe.Cli.Tests.Conformance;

/// <summary>
/// procfs-semantics.md §7.2, C33–C53: SystemTap's runtime procfs tests replayed against the
/// published procprobe on a real FUSE mount, with the same scripts, the same system calls
/// (Tcl's open/read/puts, sh's echo, stat) and the same expected results. ROOT/MODNAME stands in
/// for /proc/systemtap/MODNAME; stap_run's SIGINT at the end is <see cref="ProbeRun.Stop"/>.
/// </summary>
[Collection(nameof(FuseProcessCollection))]
public sealed class ProcfsRuntimeTests
{
    private const string Starting = "systemtap starting probe\n";
    private const string Ending = "systemtap ending probe\n";

    // ---------------------------------------------------------------------------------------
    // C33 systemtap.base/procfs.exp

    private const string ProcfsExpScript = """
        global saved_value

        probe procfs("command").read {
            $value = saved_value
        }
        probe procfs("command").write {
            saved_value = $value
        }
        probe begin {
            saved_value = "100\n"
            printf("systemtap starting probe\n")
        }
        probe end {
            printf("systemtap ending probe\n")
            printf("final value = %s", saved_value)
        }
        """;

    [Fact]
    public void C33_ProcfsExp_ReadWriteRoundTrip_FinalValueGoodbye()
    {
        using var run = ProbeRun.Start(ProcfsExpScript);
        string path = run.PathOf("command");
        Assert.Equal("100", Tcl.ReadNoNewline(path));
        Tcl.Puts(path, "200");
        Assert.Equal("200", Tcl.ReadNoNewline(path));
        Assert.Equal("200", Tcl.ReadNoNewline(path));
        Tcl.Puts(path, "hello");
        Assert.Equal("hello", Tcl.ReadNoNewline(path));
        Tcl.Puts(path, "goodbye");
        Assert.Equal("goodbye", Tcl.ReadNoNewline(path));
        Assert.Equal(0, run.Stop());
        Assert.Equal(Starting + Ending + "final value = goodbye\n", run.Stdout);
    }

    // ---------------------------------------------------------------------------------------
    // C34 systemtap.base/procfs_write.exp

    [Fact]
    public void C34_ProcfsWriteExp_4288ByteWrite_ArrivesIn511ByteChunks_NothingLost()
    {
        const string script = """
            global iteration = 0
            global saved_value[20]

            probe procfs("command").write {
                saved_value[iteration] = $value
                iteration++
            }
            probe begin {
                printf("systemtap starting probe\n")
            }
            probe end {
                printf("systemtap ending probe\n")
                for (i = 0; i < iteration; i++) {
                    printf("%s", saved_value[i])
                }
            }
            """;
        var text = new StringBuilder();
        for (int i = 0; i <= 66; i++)
        {
            if (i > 0) text.Append('\n');
            text.Append($"{i,3}:12345678901234567890123456789012345678901234567890123456789");
        }
        Assert.Equal(4287, text.Length);

        using var run = ProbeRun.Start(script, "-DMAXSTRINGLEN=512");
        var writes = Tcl.Puts(run.PathOf("command"), text.ToString());
        // CONTRACT §5: each write(2) takes min(MAXSTRINGLEN, bufsize) - 1 = 511 bytes and says so.
        Assert.Equal([511, 511, 511, 511, 511, 511, 511, 511, 200], writes);
        Assert.Equal(0, run.Stop());
        Assert.Equal(Starting + Ending + text + "\n", run.Stdout);
    }

    // ---------------------------------------------------------------------------------------
    // C35–C43 systemtap.base/procfs_maxsize.exp

    private const string Full =
        "1bcdefghijklmno2BCDEFGHIJKLMNO3qrstuvwxyz12344QRSTUVWXYZ12345bcdefghijklmno6BCDEFGHIJKLMNO" +
        "7qrstuvwxyz12348QRSTUVWXYZ12340BCDEFGHIJKLMNO1qrstuvwxyz12342QRSTUVWXYZ1234";

    private const string TwelveSegments = """
              try {
                $value = "1bcdefghijklmno"
                $value .= "2BCDEFGHIJKLMNO"
                $value .= "3qrstuvwxyz1234"
                $value .= "4QRSTUVWXYZ1234"
                $value .= "5bcdefghijklmno"
                $value .= "6BCDEFGHIJKLMNO"
                $value .= "7qrstuvwxyz1234"
                $value .= "8QRSTUVWXYZ1234"
                $value .= "9bcdefghijklmno"
                $value .= "0BCDEFGHIJKLMNO"
                $value .= "1qrstuvwxyz1234"
                $value .= "2QRSTUVWXYZ1234"
              } catch {
              }
        """;

    private const string ValuesWriteAndEnd = """
            probe procfs.write {
                values[idx] = $value
                idx++
            }
            probe begin {
                printf("systemtap starting probe\n")
            }
            probe end {
                printf("systemtap ending probe\n")
                for (i = 0; i < idx; i++) {
                    printf("value%d=%s\n", i, values[i])
                }
            }
        """;

    private static readonly string Script1 =
        "global values[10]\nglobal idx = 0\nprobe procfs.read {\n" + TwelveSegments + "\n}\n" + ValuesWriteAndEnd;

    private static readonly string Script2 =
        "global values[10]\nglobal idx = 0\nprobe procfs.read.maxsize(80) {\n" + TwelveSegments + "\n}\n" + ValuesWriteAndEnd;

    private static readonly string Script3 =
        "global values[10]\nglobal idx = 0\nprobe procfs(\"default\").read {\n" + TwelveSegments + "\n}\n" +
        "probe procfs.read.maxsize(80) {\n" + TwelveSegments + "\n}\n" + ValuesWriteAndEnd;

    private const string Output64 =
        "value0=1bcdefghijklmno2BCDEFGHIJKLMNO3qrstuvwxyz12344QRSTUVWXYZ12345bc\n" +
        "value1=defghijklmno6BCDEFGHIJKLMNO7qrstuvwxyz12348QRSTUVWXYZ12340BCDEF\n" +
        "value2=GHIJKLMNO1qrstuvwxyz12342QRSTUVWXYZ1234\n";

    private const string Output80 =
        "value0=1bcdefghijklmno2BCDEFGHIJKLMNO3qrstuvwxyz12344QRSTUVWXYZ12345bcdefghijklmno6BCD\n" +
        "value1=EFGHIJKLMNO7qrstuvwxyz12348QRSTUVWXYZ12340BCDEFGHIJKLMNO1qrstuvwxyz12342QRSTUVW\n" +
        "value2=XYZ1234\n";

    /// <summary>proc_read_write_counted M: read `command` (the first M-1 characters of FULL), then
    /// `puts -nonewline` FULL; returns the write(2) results.</summary>
    private static List<long> ReadWriteCounted(ProbeRun run, int maxsize)
    {
        string path = run.PathOf("command");
        Assert.Equal(Full[..(maxsize - 1)], Tcl.ReadNoNewline(path));
        return Tcl.PutsNoNewline(path, Full);
    }

    [Fact]
    public void C35_ProcfsBuffer1_MaxStringLen80_Reads79_WritesIn79ByteChunks()
    {
        using var run = ProbeRun.Start(Script1, "-DMAXSTRINGLEN=80");
        Assert.Equal([79, 79, 7], ReadWriteCounted(run, 80));
        Assert.Equal(0, run.Stop());
        Assert.Equal(Starting + Ending + Output80, run.Stdout);
    }

    [Fact]
    public void C36_ProcfsBuffer2_MaxStringLen80_Bufsize64_Reads63_WritesIn63ByteChunks()
    {
        using var run = ProbeRun.Start(Script1, "-DMAXSTRINGLEN=80", "-DSTP_PROCFS_BUFSIZE=64");
        Assert.Equal([63, 63, 39], ReadWriteCounted(run, 64));
        Assert.Equal(0, run.Stop());
        Assert.Equal(Starting + Ending + Output64, run.Stdout);
    }

    [Fact]
    public void C37_ProcfsBuffer3_MaxStringLen64_Bufsize80_Reads79_WritesIn63ByteChunks()
    {
        using var run = ProbeRun.Start(Script1, "-DMAXSTRINGLEN=64", "-DSTP_PROCFS_BUFSIZE=80");
        Assert.Equal([63, 63, 39], ReadWriteCounted(run, 80));
        Assert.Equal(0, run.Stop());
        Assert.Equal(Starting + Ending + Output64, run.Stdout);
    }

    [Fact]
    public void C38_ProcfsBuffer4_Maxsize80_MaxStringLen64_Reads79_WritesIn63ByteChunks()
    {
        using var run = ProbeRun.Start(Script2, "-DMAXSTRINGLEN=64");
        Assert.Equal([63, 63, 39], ReadWriteCounted(run, 80));
        Assert.Equal(0, run.Stop());
        Assert.Equal(Starting + Ending + Output64, run.Stdout);
    }

    [Fact]
    public void C39_ProcfsBuffer5_Maxsize80_WinsOverBufsize80AndMaxStringLen64()
    {
        using var run = ProbeRun.Start(Script2, "-DMAXSTRINGLEN=64", "-DSTP_PROCFS_BUFSIZE=80");
        Assert.Equal([63, 63, 39], ReadWriteCounted(run, 80));
        Assert.Equal(0, run.Stop());
        Assert.Equal(Starting + Ending + Output64, run.Stdout);
    }

    [Fact]
    public void C40_ProcfsBuffer6_DefaultFileReads63_MaxsizeFileReads79()
    {
        using var run = ProbeRun.Start(Script3, "-DMAXSTRINGLEN=64");
        Assert.Equal(Full[..63], Tcl.ReadNoNewline(run.PathOf("default")));
        Assert.Equal([63, 63, 39], ReadWriteCounted(run, 80));
        Assert.Equal(0, run.Stop());
        Assert.Equal(Starting + Ending + Output64, run.Stdout);
    }

    [Fact]
    public void C41_ProcfsBuffer7_Maxsize2048_Holds2047BytesOfLongStrings()
    {
        const string script4 = """
            global large_strings[10]

            # Put more data than we can really handle into $value
            probe procfs.read.maxsize(2048) {
              try {
                $value = large_strings[0]
                for (i = 1; i < 10; i+=1) {
                    $value .= large_strings[i]
                }
              } catch {
              }
            }

            probe begin {
                # build up several maximum length strings
                max = 512
                for (i = 0; i < max/64; i+=1) {
                    for (j = 0; j < 10; j++) {
                        if (i < (max/64 - 1)) {
                            large_strings[j] .= sprintf("%3d:12345678901234567890123456789012345678901234567890123456789\n",
                                                        i + (j * (max/64)))
                        }
                        else {
                            large_strings[j] .= sprintf("%3d:1234567890123456789012345678901234567890123456789012345678\n",
                                                        i + (j * (max/64)))
                        }
                    }
                }
                printf("systemtap starting probe\n")
            }
            probe end {
                printf("systemtap ending probe\n")
            }
            """;
        var expected = new StringBuilder();
        for (int n = 0; n <= 31; n++)
        {
            string digits = n % 8 == 7
                ? "1234567890123456789012345678901234567890123456789012345678"
                : "12345678901234567890123456789012345678901234567890123456789";
            expected.Append($"{n,3}:{digits}\n");
        }
        expected.Append(" 32");
        Assert.Equal(2047, expected.Length);

        using var run = ProbeRun.Start(script4, "-DMAXSTRINGLEN=512");
        Assert.Equal(expected.ToString(), Tcl.ReadNoNewline(run.PathOf("command")));
        Assert.Equal(0, run.Stop());
        Assert.Equal(Starting + Ending, run.Stdout);
    }

    private const string Script5 = """
        global error

        probe procfs.read {
          try {
            $value = "1bcdefghijklmno"
            $value .= "2BCDEFGHIJKLMNO"
            $value .= "3qrstuvwxyz1234"
            $value .= "4QRSTUVWXYZ1234"
            $value .= "5bcdefghijk"
          } catch (err) {
            error = err
          }
        }
        probe procfs.write {
          next
        }

        probe begin {
            printf("systemtap starting probe\n")
        }
        probe end {
            printf("systemtap ending probe\n")
            println(error)
        }
        """;

    [Fact]
    public void C42_ProcfsBuffer8_Bufsize64_CaughtOverflowMessageSaysMaxsize72()
    {
        using var run = ProbeRun.Start(Script5, "-DSTP_PROCFS_BUFSIZE=64");
        Assert.Equal([63, 63, 39], ReadWriteCounted(run, 64));
        Assert.Equal(0, run.Stop());
        Assert.Equal(Starting + Ending + "buffer size exceeded, consider .maxsize(72).\n", run.Stdout);
    }

    [Fact]
    public void C43_ProcfsBuffer9_Bufsize72_HoldsExactly71_NoError()
    {
        using var run = ProbeRun.Start(Script5, "-DSTP_PROCFS_BUFSIZE=72");
        Assert.Equal([71, 71, 23], ReadWriteCounted(run, 72));
        Assert.Equal(0, run.Stop());
        Assert.Equal(Starting + Ending + "\n", run.Stdout);
    }

    // ---------------------------------------------------------------------------------------
    // C44 systemtap.base/procfs_multi_write.exp

    [Fact]
    public void C44_ProcfsMultiWrite_AllWriteProbesRunInDeclarationOrder()
    {
        const string script = """
            global val

            probe procfs.write {
                val = $value . "a"
            }
            probe procfs.read {
                $value = val
            }
            probe procfs.write {
                val .= $value . "b"
            }
            probe procfs("test").write {
                val .= $value . "1"
            }
            probe procfs("test").write {
                val .= $value . "2"
            }
            probe procfs("test").write {
                val .= $value . "3"
            }
            probe begin {
                val = ""
                printf("systemtap starting probe\n")
            }
            probe end {
                printf("systemtap ending probe\n")
            }
            """;
        using var run = ProbeRun.Start(script);
        string command = run.PathOf("command"), test = run.PathOf("test");
        Tcl.PutsNoNewline(command, "x");
        Assert.Equal("xaxb", Tcl.ReadNoNewline(command));
        Tcl.PutsNoNewline(test, "y");
        Assert.Equal("xaxby1y2y3", Tcl.ReadNoNewline(command));
        Tcl.PutsNoNewline(command, "zzz");
        Assert.Equal("zzzazzzb", Tcl.ReadNoNewline(command));
        Assert.Equal(0, run.Stop());
        Assert.Equal(Starting + Ending, run.Stdout);
    }

    // ---------------------------------------------------------------------------------------
    // C45 systemtap.base/procfs_umask.exp

    [Fact]
    public void C45_ProcfsUmask_TwelveModes_CIntegerLiterals_AndGlobalDisplay()
    {
        const string script = """
            global value
            probe procfs("umask-000-r").umask(000).read {$value = "100\n" }
            probe procfs("umask-000-w").umask(000).write {printf("the val is, %s", $value)}
            probe procfs("umask-004-r").umask(004).read {$value = "200\n"}
            probe procfs("umask-020-w").umask(020).write {printf("the val is, %s", $value)}
            probe procfs("umask-044-r").umask(044).read {$value = "300\n"}
            probe procfs("umask-022-w").umask(022).write {printf("the val is, %s", $value)}
            probe procfs("umask-400-r").umask(400).read {$value = "400\n"}
            probe procfs("umask-200-w").umask(200).write {printf("the val is, %s", $value)}
            probe procfs("umask-440-r").umask(440).read {$value = "500\n"}
            probe procfs("umask-202-w").umask(202).write {printf("the val is, %s", $value)}
            probe procfs("umask-404-r").umask(404).read {$value = "600\n"}
            probe procfs("umask-002-w").umask(002).write {printf("the val is, %s", $value)}

            probe begin {
                value = "600\n"
                printf("systemtap starting probe\n")
            }

            probe end {
                printf("systemtap ending probe\n")
                printf("Testing permissions\n")
            }
            """;
        (string Path, string Mode)[] expected =
        [
            ("umask-000-r", "444"), ("umask-000-w", "222"), ("umask-004-r", "440"), ("umask-020-w", "202"),
            ("umask-044-r", "400"), ("umask-022-w", "200"), ("umask-400-r", "44"), ("umask-200-w", "22"),
            ("umask-440-r", "4"), ("umask-202-w", "20"), ("umask-404-r", "40"), ("umask-002-w", "220"),
        ];
        using var run = ProbeRun.Start(script);
        var actual = expected.Select(e => (e.Path, RunExtensions.StatMode(run.PathOf(e.Path)))).ToArray();
        Assert.Equal(expected, actual);
        Assert.Equal(0, run.Stop());
        Assert.Equal(Starting + Ending + "Testing permissions\nvalue=\"600\n\"\n", run.Stdout);
    }

    // ---------------------------------------------------------------------------------------
    // C46 systemtap.base/procfs_bpf.exp, adapted to regular files

    /// <summary>The bpf test's script and actions (`timeout 1 cat`, `timeout 1 sh -c "echo V > PATH"`)
    /// on procprobe's regular files instead of stapbpf's FIFOs.</summary>
    [Fact]
    public void C46_ProcfsBpf_CatAndEcho_OnSeparateReadAndWritePaths()
    {
        const string script = """
            global saved_value

            probe procfs.read {
                $value = saved_value
            }
            probe procfs("other").write {
                saved_value = $value
            }
            probe begin {
                saved_value = "100\n"
                printf("systemtap starting probe\n")
            }
            probe end {
                printf("systemtap ending probe\n")
                printf("final value = %s", saved_value)
            }
            """;
        using var run = ProbeRun.Start(script);
        string command = run.PathOf("command"), other = run.PathOf("other");
        string Cat() => Shell.Bash($"timeout 1 cat '{command}'").TrimEnd('\n');
        void Echo(string v) => Shell.Bash($"timeout 1 sh -c \"echo {v} > '{other}'\"");
        Assert.Equal("100", Cat());
        Echo("200");
        Assert.Equal("200", Cat());
        Assert.Equal("200", Cat());
        Echo("hello");
        Assert.Equal("hello", Cat());
        Echo("goodbye");
        Assert.Equal("goodbye", Cat());
        Assert.Equal(0, run.Stop());
        Assert.Equal(Starting + Ending + "final value = goodbye\n", run.Stdout);
    }

    // ---------------------------------------------------------------------------------------
    // C47 systemtap.base/onoffprobe.exp, without kernel probes

    /// <summary>onoffprobe.stp with its kernel probes (syscall.write.return, syscall.write,
    /// timer.profile) replaced by timer.ms probes with the same conditions and log lines; everything
    /// else verbatim. The harness's loop: after each expected line, `echo N > switch` (N = 1..7); the
    /// last advance here is `echo 8`, whose `exit()` ends the session.</summary>
    [Fact]
    public void C47_OnOffProbe_ControlFileStrtol_EnablesConditionalProbesInTurn()
    {
        const string script = """
            global switch=-1

            #begin probe
            probe begin if (switch==-1) {
                printf("begin1 probed: %s\n", module_name());
            }

            probe begin if (switch==0) {
                log("begin2 probed");
            }

            # stands in for syscall.write.return
            probe timer.ms(100) if (switch == 1) {
                log("function return probed")
                switch = 0
            }

            # stands in for syscall.write
            probe timer.ms(100) if (switch == 2) {
                log("function entry probed")
                switch = 0
            }

            #timer probe
            probe timer.ms(100) if (switch == 3) {
                log("timer probed")
                switch = 0
            }

            # stands in for timer.profile
            probe timer.ms(100) if (switch == 4) {
                log("profile probed")
                switch = 0
            }

            # aliasess
            probe alias.one.a  = timer.ms(150) if (switch == 5) { print("alias.one.a and") }
            probe alias.one.b  = timer.ms(200) if (switch == 6) { print("alias.one.b and") }
            probe alias.one = alias.one.* if (switch >= 5 && switch < 7) { print(" alias.one and") }
            probe alias.two = timer.ms(250) if (switch == 7) { print("alias.two and") }
            probe alias.* if (switch) { log(" alias.* probed") }

            probe procfs("switch").write {
                switch = strtol($value, 10)
                if (switch > 7) {
                    exit()
                }
            }
            """;
        string[] lines =
        [
            "function return probed", "function entry probed", "timer probed", "profile probed",
            "alias.one.a and alias.one and alias.* probed", "alias.one.b and alias.one and alias.* probed",
            "alias.two and alias.* probed",
        ];
        using var run = ProbeRun.Start(script);
        int at = run.WaitForOutput("begin1 probed: ");
        int eol = run.WaitForOutput("\n", at);
        // The harness takes MODNAME from this line; module_name() must be the -m name (checked at
        // the end, so that the control-file sequence is exercised either way).
        string modname = run.Stdout[at..(eol - 1)];
        string control = run.PathOf("switch");
        int ok = 0;
        at = eol;
        foreach (string line in lines)
        {
            ok++;
            Shell.Bash($"echo {ok} > '{control}'");
            at = run.WaitForOutput(line + "\n", at);
        }
        ok++;
        Shell.Bash($"echo {ok} > '{control}'");
        Assert.Equal(0, run.WaitForExit());
        Assert.Equal(8, ok);
        Assert.Equal(run.ModuleName, modname);
        Assert.Equal($"begin1 probed: {modname}\n" + string.Concat(lines.Select(l => l + "\n")), run.Stdout);
    }

    /// <summary>C47's procfs part alone: `echo N > switch` read with strtol($value, 10) switches
    /// conditional probes on one after another, and a value above 7 calls exit().</summary>
    [Fact]
    public void C47_ControlFile_EchoN_StrtolSwitchesConditionalProbes_AndExits()
    {
        const string script = """
            global switch=-1
            probe begin if (switch==-1) {
                printf("begin1 probed\n");
            }
            probe timer.ms(100) if (switch == 1) {
                log("one probed")
                switch = 0
            }
            probe timer.ms(100) if (switch == 2) {
                log("two probed")
                switch = 0
            }
            probe procfs("switch").write {
                switch = strtol($value, 10)
                if (switch > 7) {
                    exit()
                }
            }
            """;
        using var run = ProbeRun.Start(script);
        int at = run.WaitForOutput("begin1 probed\n");
        Shell.Bash($"echo 1 > '{run.PathOf("switch")}'");
        at = run.WaitForOutput("one probed\n", at);
        Shell.Bash($"echo 2 > '{run.PathOf("switch")}'");
        run.WaitForOutput("two probed\n", at);
        Shell.Bash($"echo 8 > '{run.PathOf("switch")}'");
        Assert.Equal(0, run.WaitForExit());
        Assert.Equal("begin1 probed\none probed\ntwo probed\n", run.Stdout);
        Assert.False(Directory.Exists(run.Directory));
    }

    // ---------------------------------------------------------------------------------------
    // C48 systemtap.base/backtrace.exp, without print_backtrace

    /// <summary>backtrace.stp's point for procfs: procfs locations sharing one body with begin and end
    /// get files but never fire unless used. print_backtrace() (kernel stacks) is left out.</summary>
    [Fact]
    public void C48_Backtrace_ProcfsLocationsShareABodyWithBeginAndEnd()
    {
        const string script = """
            probe begin, end, procfs("foo").read, procfs("foo").write {
                log(pp())
            }
            probe timer.ms(100) {
                log(pp())
                exit()
            }
            """;
        string root = ProbeRun.NewRoot(), name = ProbeRun.NewModuleName();
        try
        {
            var (rc, stdout, stderr) = Shell.Run(ProcProbeBinary.Path, "--root", root, "-m", name, "-e", script);
            Assert.True(rc == 0, stderr);
            Assert.Equal("begin\ntimer.ms(100)\nend\n", stdout);
        }
        finally
        {
            ProbeRun.Cleanup(Path.Combine(root, name));
            try { Directory.Delete(root); } catch (IOException) { }
        }
    }

    // ---------------------------------------------------------------------------------------
    // C49 systemtap.syscall/*.exp: procfs as the control channel

    [Fact]
    public void C49_Syscall_TargetPidControlFile_FromBashEcho()
    {
        const string script = """
            global target_pid = 0
            probe procfs("target_pid").write {
                target_pid = strtol($value, 10)
                printf("resetting target_pid = %d\n", target_pid)
            }
            """;
        using var run = ProbeRun.Start(script);
        string pid = Shell.Bash($"bash -c \"echo \\$\\$ > '{run.PathOf("target_pid")}'; exec echo \\$\\$\"").Trim();
        run.WaitForOutput($"resetting target_pid = {pid}\n");
        Assert.Equal(0, run.Stop());
        Assert.Equal($"resetting target_pid = {pid}\n", run.Stdout);
    }

    // ---------------------------------------------------------------------------------------
    // C50–C52 systemtap.interactive/input.*: the tapset's procfs("__stdin").write aliases, fed the way
    // stapio feeds them (one byte per write(2))

    private const string InputTapset = """
        global _line = ""
        probe my_input.char = procfs("__stdin").write {
            char = $value
        }
        probe my_input.line = procfs("__stdin").write {
            _line .= $value
            if ($value != "\n")
                next
            line = _line
            _line = ""
        }
        """;

    private static void Feed(int fd, string bytes)
    {
        foreach (byte b in Sys.Bytes(bytes))
        {
            Assert.Equal(1, Sys.Write(fd, [b]));
        }
    }

    [Fact]
    public void C50_InputChar_OneBytePerWrite()
    {
        const string script = InputTapset + """
            probe my_input.char {
                if (char == "d") print("zz") else println(char)
            }
            """;
        using var run = ProbeRun.Start(script);
        int fd = Sys.MustOpen(run.PathOf("__stdin"), Sys.O_WRONLY);
        try
        {
            Feed(fd, "abcde");
            int at = run.WaitForOutput("a\nb\nc\nzze\n");
            foreach (char c in "12345\n")
            {
                Feed(fd, c.ToString());
                at = run.WaitForOutput(c + "\n", at);
            }
        }
        finally
        {
            Sys.Close(fd);
        }
        Assert.Equal(0, run.Stop());
        Assert.Equal("a\nb\nc\nzze\n1\n2\n3\n4\n5\n\n\n", run.Stdout);
    }

    [Fact]
    public void C51_InputLine_NothingUntilNewline()
    {
        const string script = InputTapset + """
            probe my_input.line {
                print(line)
            }
            """;
        using var run = ProbeRun.Start(script);
        int fd = Sys.MustOpen(run.PathOf("__stdin"), Sys.O_WRONLY);
        try
        {
            Feed(fd, "abcde\n");
            int at = run.WaitForOutput("abcde\n");
            Feed(fd, "123456789");
            Thread.Sleep(200);
            Assert.Equal("abcde\n", run.Stdout);
            Feed(fd, "\n");
            run.WaitForOutput("123456789\n", at);
        }
        finally
        {
            Sys.Close(fd);
        }
        Assert.Equal(0, run.Stop());
        Assert.Equal("abcde\n123456789\n", run.Stdout);
    }

    [Fact]
    public void C52_CharAndLine_CharProbeRunsFirstForEachByte()
    {
        const string script = InputTapset + """
            probe my_input.char {
                print(char)
            }
            probe my_input.line {
                print(line)
            }
            """;
        using var run = ProbeRun.Start(script);
        int fd = Sys.MustOpen(run.PathOf("__stdin"), Sys.O_WRONLY);
        try
        {
            Feed(fd, "abcde");
            int at = run.WaitForOutput("abcde");
            Thread.Sleep(100);
            Assert.Equal("abcde", run.Stdout);
            Feed(fd, "\n");
            at = run.WaitForOutput("\nabcde\n", at);
            Feed(fd, "01234\n56789\n");
            run.WaitForOutput("01234\n01234\n56789\n56789\n", at);
        }
        finally
        {
            Sys.Close(fd);
        }
        Assert.Equal(0, run.Stop());
        Assert.Equal("abcde\nabcde\n01234\n01234\n56789\n56789\n", run.Stdout);
    }

    // ---------------------------------------------------------------------------------------
    // C53 systemtap.examples: the procfs parts of the examples

    /// <summary>process/noptrace.stp's control files (blocked/block/unblock), with its kernel probes
    /// left out and the target pid from -x.</summary>
    [Fact]
    public void C53_Noptrace_ControlFiles()
    {
        const string script = """
            global noptrace # map pid->name: list of pids forbidden from ptrace(2)

            probe begin { # init. noptrace process list with stap -x PID/-c CMD, if given
                  if (target())
                     noptrace[target()]="?"
            }

            probe procfs("blocked").read {   # report currently blocked processes
                  foreach (pid in noptrace)
                          $value .= sprintf("%d %s\n",pid,noptrace[pid])
            }

            probe procfs("block").write {  # block given pid
                  pid = strtol($value,10)
                  noptrace[pid]="?"
            }

            probe procfs("unblock").write {  # unblock given pid
                  pid = strtol($value,10)
                  delete noptrace[pid]
            }
            """;
        using var run = ProbeRun.Start(script, "-x", "4242");
        string Blocked() => string.Join(",", Shell.Bash($"cat '{run.PathOf("blocked")}'").Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        Assert.Equal("4242 ?", Blocked());
        Shell.Bash($"echo 77 > '{run.PathOf("block")}'");
        Assert.Equal("4242 ?,77 ?", Blocked());
        Shell.Bash($"echo 4242 > '{run.PathOf("unblock")}'");
        Assert.Equal("77 ?", Blocked());
        Assert.Equal(0, run.Stop());
        Assert.Equal("", run.Stdout);
    }

    /// <summary>The `prometheus` tapset alias the examples use: procfs("__prometheus").read.maxsize(0x10000),
    /// so a reader gets up to 65535 bytes from `__prometheus`.</summary>
    [Fact]
    public void C53_PrometheusAlias_ServesPrometheusFileWith65535Bytes()
    {
        const string script = """
            global pad
            probe begin {
                for (k = 0; k < 40; k++) pad .= "0123456789"
            }
            probe prometheus {
                try {
                    for (i = 0; i < 200; i++)
                        $value .= sprintf("metric_%03d %s\n", i, pad)
                } catch {
                }
            }
            """;
        using var run = ProbeRun.Start(script);
        string pad = string.Concat(Enumerable.Repeat("0123456789", 40));
        var expected = new StringBuilder();
        for (int i = 0; i < 200; i++) expected.Append($"metric_{i:000} {pad}\n");
        byte[] content = File.ReadAllBytes(run.PathOf("__prometheus"));
        Assert.Equal(65535, content.Length);
        Assert.Equal(expected.ToString()[..65535], Sys.Text(content));
        run.Stop();
    }
}
