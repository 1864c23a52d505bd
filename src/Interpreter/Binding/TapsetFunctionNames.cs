namespace ProcProbe.Interpreter.Binding;

/// <summary>
/// The names of the functions in SystemTap 4.8's tapset library on x86_64 (the files stap reads for a
/// kernel session: tapset/, tapset/linux/, tapset/x86_64/, tapset/linux/x86_64/; private functions
/// left out). stap offers them in "unresolved function NAME (similar: ...)" whether or not procprobe
/// implements them, so the suggestions name the same functions.
/// </summary>
internal static class TapsetFunctionNames
{
    private const string Names = """
        AF_INET AF_INET6 HZ MAJOR MINOR MKDEV NFS_I NFS_PROTO NFS_SERVER Py2Object_GetAttr Py2Object_Repr
        Py3Object_GetAttr Py3Object_Repr WEXITSTATUS WIFEXITED WTERMSIG __arch_ptrace_request_str
        __asmlinkage_int_arg __assign_stacktrace __count_compat_envp __count_envp __delete_backtrace __file_dev
        __file_filename __file_ino __file_inode __file_maxbytes __find_bdevname __fork_flags __get_argv
        __get_compat_argv __get_kregs __get_skb_iphdr __get_skb_tcphdr __get_uregs __getfh_inode __indent_timestamp
        __int32 __iov_length __ip_skb_daddr __ip_skb_proto __ip_skb_saddr __ip_sock_daddr __ip_sock_family
        __ip_sock_saddr __long __nfs_version __page_bdev __page_dev __page_ino __push_tls_address __sem_flags
        __set_kregs __set_syscall_pt_regs __set_uregs __short __tcp_skb_ack __tcp_skb_dport __tcp_skb_fin
        __tcp_skb_psh __tcp_skb_rst __tcp_skb_sport __tcp_skb_syn __tcp_skb_urg __tcp_sock_dport __tcp_sock_sport
        __uint32 __ulong __ushort _access_mode_str _adjtimex_return_str _adjtx_mode_str _arch_ptrace_argstr
        _at_flag_str _bpf_cmd_str _caller_match _dev_major _dev_minor _dfd_str _dup3_flag_str _epoll_create1_flag_str
        _epoll_events_str _eventfd2_flag_str _faccessat2_flags_str _fadvice_advice_str _fanotify_init_flags_str
        _fanotify_mark_flags_str _fanotify_mark_mask_str _fcntl_cmd_str _fildes_index_u _finit_module_flags_str
        _flock_cmd_str _futex_op_str _futex_wake_op_str _get_kretprobe_long _get_kretprobe_string _get_wc_str
        _getrandom_flags_str _inotify_init1_flag_str _inotify_watch_mask_str _input_route_type _internal_wait_opt_str
        _itimer_which_str _kcmp_type_str _kexec_file_load_flags_str _kexec_flags_str _madvice_advice_str
        _membarrier_cmd_str _mempolicy_flags_str _mempolicy_mode_str _mfd_flags_str _mknod_mode_str
        _mlockall_flags_str _mmap_flags _module_flags_str _mountflags_str _mprotect_prot_str _mremap_flags
        _msg_flags_str _msync_flag_str _nfsctl_cmd_str _opoll_op_str _perf_event_open_flags_str
        _pkey_alloc_init_val_str _prctl_argstr _preadv2_flags_str _priority_which_str _ptrace_argstr
        _ptrace_options_str _ptrace_return_arch_prctl_addr _ptrace_return_geteventmsg_data _quotactl_cmd_str
        _quotactl_quota_type_str _quotactl_subcmd _reboot_flag_str _reboot_magic_str _recvflags_str
        _renameat2_flags_str _rlimit_resource_str _rusage_who_str _sched_policy_str _seccomp_flags_str
        _seccomp_op_str _seek_whence_str _semctl_cmd _sendflags_str _set_kretprobe_long _set_kretprobe_string
        _shmat_flags_str _shutdown_how_str _sighandler_str _signal_name _signalfd4_flags_str _sigprocmask_how_str
        _sock_fam_num _sock_family_str _sock_flags_num _sock_flags_str _sock_prot_num _sock_protocol_str
        _sock_state_num _sock_type_num _sock_type_str _sockopt_level_str _sockopt_optname_str _statfs_f_type_str
        _statx_mask_str _stp_arch_prctl_func_str _stp_arg _stp_arg2 _stp_clock_nanosleep_flags_str
        _stp_compat_msgrcv_msgbuf _stp_compat_msgrcv_msgtyp _stp_compat_sigaltstack_u _stp_compat_siginfo_u
        _stp_compat_sigset_u _stp_fallocate_mode_str _stp_get_arg_ptr _stp_get_register_by_offset
        _stp_ioprio_value_str _stp_ioprio_which_str _stp_keyctl_cmd_str _stp_keyctl_default_keyrings_str
        _stp_keyctl_keyring_shortcut_str _stp_keyctl_perm_str _stp_mlock2_str _stp_msgctl_cmd_str _stp_msgflg_str
        _stp_msgget_key_str _stp_register _stp_shmget_flags_str _stp_sigaltstack_u _stp_siginfo_u _stp_sigmask_str
        _stp_sign_extend16 _stp_sign_extend32 _stp_sign_extend8 _stp_sigset_u _stp_splice_flags_str _stp_syscall_nr
        _stp_timerfd_flags_str _stp_xattr_flags_str _stp_xattr_val_str _struct_compat_itimerspec_u
        _struct_compat_itimerval_u _struct_compat_timespec_u _struct_compat_timeval_u _struct_compat_timex_u
        _struct_compat_utimbuf_actime _struct_compat_utimbuf_modtime _struct_dqblk_u _struct_dqinfo_u
        _struct_itimerspec_u _struct_itimerval_u _struct_old_sigaction32_u _struct_rlimit_u _struct_sched_attr_u
        _struct_sigaction32_u _struct_sigaction_u _struct_sockaddr_u _struct_sockaddr_u_ip_addr
        _struct_sockaddr_u_ipv6_flowinfo _struct_sockaddr_u_ipv6_scope_id _struct_sockaddr_u_sa_family
        _struct_sockaddr_u_tcp_port _struct_sysinfo_u _struct_timespec_u _struct_timeval_u _struct_timex_u
        _struct_timezone_u _struct_tms_u _struct_user_desc_u _struct_utimbuf_actime _struct_utimbuf_modtime
        _success_check _swapon_flags_str _sync_file_range_flags_str _sys_open_flag_str _sys_pipe2_flag_str
        _umountflags_str _userfaultfd_flags_str _utrace_syscall_arg _utrace_syscall_nr _utrace_syscall_return
        _wait4_opt_str _wait_status_str _waitid_opt_str _waitid_which_str abort addr addr_from_rqst
        addr_from_rqst_str addr_to_node ansi_clear_screen ansi_cursor_hide ansi_cursor_move ansi_cursor_restore
        ansi_cursor_save ansi_cursor_show ansi_new_line ansi_reset_color ansi_set_color ansi_set_color2
        ansi_set_color3 arch_bytes asmlinkage assert atomic_long_read atomic_read backtrace bdevname big_endian2
        big_endian4 big_endian8 bio_op bio_rw_num bio_rw_str bytes_to_string caller caller_addr callers
        clones_from_clnt cmdline_arg cmdline_args cmdline_str commit container_of_task_rcu cpu cpu_clock_ms
        cpu_clock_ns cpu_clock_s cpu_clock_us cpuid cputime_to_msecs cputime_to_string cputime_to_usecs ctime
        current_exe_file cve_count_metric cve_record_metric cve_tmpdisable d_name d_path daddr_to_string
        delete_stopwatch describe_data_direction describe_device_state discard disk_major_from_request
        disk_minor_from_request disk_name dump_stack egid env_var errno_p errno_str error euid execname exit fastcall
        format_ipaddr fp32_to_fp64 fp_add fp_div fp_eq fp_le fp_lt fp_mul fp_rem fp_sqrt fp_sub fp_to_long
        fp_to_string ftrace ftype fullpath_struct_file fullpath_struct_nameidata fullpath_struct_path get_cycles
        get_devstate_from_req get_ip get_ip_from_client get_loadavg_index get_mmap_args get_netdev_name get_prot
        get_prot_from_client get_sa_flags get_sa_handler get_sigaction_mask get_sigset gettimeofday_ms
        gettimeofday_ns gettimeofday_s gettimeofday_us gid htonl htonll htons indent indent_depth inet_get_ip_source
        inet_get_local_port inode_name inode_path int_arg ip_ntop ipmib_filter_key ipmib_get_proto ipmib_local_addr
        ipmib_remote_addr ipmib_tcp_local_port ipmib_tcp_remote_port irqflags_str is_myproc is_return is_sig_blocked
        isdigit isinstr jiffies json_add_array json_add_array_numeric_metric json_add_array_string_metric
        json_add_numeric_metric json_add_string_metric json_set_prefix kernel_buffer_quoted
        kernel_buffer_quoted_error kernel_char kernel_int kernel_long kernel_or_user_string_quoted
        kernel_or_user_string_quoted_utf16 kernel_or_user_string_quoted_utf32 kernel_pointer kernel_short
        kernel_string kernel_string2 kernel_string2_utf16 kernel_string2_utf32 kernel_string_n kernel_string_quoted
        kernel_string_quoted_utf16 kernel_string_quoted_utf32 kernel_string_utf16 kernel_string_utf32 ktime_get_ns
        linuxmib_filter_key little_endian2 little_endian4 little_endian8 local_clock_ms local_clock_ns local_clock_s
        local_clock_us log long_arg long_to_fp longlong_arg matched matched_str mdelay mem_page_size modname
        module_name module_size msecs_to_string msg_flags_num2str nfs3_cmode nfs4_ctype nfsderror ngroups ns_egid
        ns_euid ns_gid ns_pgrp ns_pid ns_ppid ns_sid ns_tid ns_uid nsecs_to_string ntohl ntohll ntohs pages_to_string
        panic pexecname pgrp pid pid2execname pid2task pn pnlabel pointer_arg port_from_clnt port_from_xprt pp ppfunc
        ppid ppos_pos print_backtrace print_backtrace_fileline print_java_backtrace print_regs print_stack print_syms
        print_ubacktrace print_ubacktrace_brief print_ubacktrace_fileline print_ustack print_usyms printk probe_type
        probefunc probemod probing_32bit_app proc_from_msg proc_mem_data proc_mem_data_pid proc_mem_rss
        proc_mem_rss_pid proc_mem_shr proc_mem_shr_pid proc_mem_size proc_mem_size_pid proc_mem_string
        proc_mem_string_pid proc_mem_txt proc_mem_txt_pid prog_from_clnt prot_from_clnt pstrace python2_get_locals
        python2_get_var_obj python3_get_locals python3_get_var_obj python3_initialize python_print_backtrace
        python_sprint_backtrace qs_done qs_run qs_time qs_wait qsq_blocked qsq_print qsq_service_time qsq_start
        qsq_throughput qsq_utilization qsq_wait_queue_length qsq_wait_time raise randint rcu_dereference
        read_stopwatch_ms read_stopwatch_ns read_stopwatch_s read_stopwatch_us real_mount register registers_valid
        regparm remote_id remote_uri return_str returnstr returnval reverse_path_walk rlimit_from_str s32_arg s64_arg
        sa_flags_str sa_handler_str scsi_timer_pending set_int_arg set_kernel_char set_kernel_int set_kernel_long
        set_kernel_pointer set_kernel_short set_kernel_string set_kernel_string_n set_long_arg set_longlong_arg
        set_pointer_arg set_returnval set_s32_arg set_s64_arg set_u32_arg set_u64_arg set_uint_arg set_ulong_arg
        set_ulonglong_arg set_user_char set_user_int set_user_long set_user_pointer set_user_short set_user_string
        set_user_string_arg set_user_string_n sid signal_str sigset_mask_str sock_fam_num2str sock_fam_str2num
        sock_flags_num2str sock_prot_num2str sock_prot_str2num sock_state_num2str sock_state_str2num
        sock_type_num2str sock_type_str2num speculate speculation sprint_backtrace sprint_java_backtrace
        sprint_loadavg sprint_stack sprint_syms sprint_ubacktrace sprint_ustack sprint_usyms stack stack_size
        stack_unused stack_used stap_NFS_CLIENT start_stopwatch stop_stopwatch stp_pid stp_print_binary str_replace
        string_quoted string_to_fp stringat strlen strpos strtol substr switch_file symdata symfile symfileline
        symline symname syscall_name syscall_num system target target_set_pid target_set_report task_ancestry
        task_backtrace task_cpu task_current task_cwd_path task_dentry_path task_egid task_euid task_exe_file
        task_execname task_fd_lookup task_gid task_max_file_handles task_nice task_ns_egid task_ns_euid task_ns_gid
        task_ns_pid task_ns_tid task_ns_uid task_open_file_handles task_parent task_pid task_prio task_rlimit
        task_rlimit_as task_rlimit_core task_rlimit_cpu task_rlimit_data task_rlimit_fsize task_rlimit_locks
        task_rlimit_memlock task_rlimit_msgqueue task_rlimit_nice task_rlimit_nofile task_rlimit_nproc
        task_rlimit_rss task_rlimit_rtprio task_rlimit_rttime task_rlimit_sigpending task_rlimit_stack
        task_start_time task_state task_stime task_stime_tid task_tid task_time_string task_time_string_tid task_uid
        task_utime task_utime_tid tasks_from_clnt tcp_get_info_rto tcp_get_info_snd_cwnd tcp_ipv6_sockopt_str
        tcp_sockopt_str tcp_sockstate_str tcp_ts_get_info_rcv_mss tcp_ts_get_info_snd_ssthresh tcp_ts_get_info_state
        tcpmib_filter_key tcpmib_get_state tcpmib_local_addr tcpmib_local_port tcpmib_remote_addr tcpmib_remote_port
        text_str text_strn thread_indent thread_indent_depth tid timer_pending tokenize tz_ctime tz_gmtoff tz_name
        u32_arg u64_arg u_register uaddr uarch_bytes ubacktrace ucallers udelay uid uint_arg ulong_arg ulonglong_arg
        umodaddr umodbuildid umodname usecs_to_string user_buffer_quoted user_buffer_quoted_error user_char
        user_char_error user_char_warn user_int user_int16 user_int16_error user_int32 user_int32_error user_int64
        user_int64_error user_int8 user_int8_error user_int_error user_int_warn user_long user_long_error
        user_long_warn user_mode user_short user_short_error user_short_warn user_string user_string2
        user_string2_n_warn user_string2_utf16 user_string2_utf32 user_string2_warn user_string_n user_string_n2
        user_string_n2_quoted user_string_n_nofault user_string_n_quoted user_string_n_warn user_string_nofault
        user_string_quoted user_string_quoted_utf16 user_string_quoted_utf32 user_string_utf16 user_string_utf32
        user_string_warn user_uint16 user_uint16_error user_uint32 user_uint32_error user_uint64 user_uint64_error
        user_uint8 user_uint8_error user_ulong user_ulong_error user_ulong_warn user_ushort user_ushort_error
        user_ushort_warn usrdev2kerndev ustack usymdata usymfile usymfileline usymline usymname vers_from_clnt
        vers_from_prog vm_fault_contains warn xid_from_clnt
        """;

    public static IEnumerable<string> All => Names.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}
