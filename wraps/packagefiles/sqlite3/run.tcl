# Helper of cpython-meson's sqlite3 overlay, run by the jimsh built from SQLite's
# autosetup/jimsh0.c (or any tclsh): Meson runs commands from the top build directory, while
# SQLite's code generators expect to run where their inputs and helper programs are.
#
#   run.tcl cat OUT IN...             concatenate IN... into OUT
#   run.tcl in DIR SCRIPT ARG...      run SCRIPT with ARG... as its argv, in directory DIR
set mode [lindex $argv 0]
if {$mode eq "cat"} {
    set out [open [lindex $argv 1] wb]
    foreach f [lrange $argv 2 end] {
        set in [open $f rb]
        puts -nonewline $out [read $in]
        close $in
    }
    close $out
} elseif {$mode eq "in"} {
    set dir [lindex $argv 1]
    set script [lindex $argv 2]
    set argv [lrange $argv 3 end]
    set argc [llength $argv]
    set argv0 $script
    cd $dir
    source $script
} else {
    puts stderr "usage: run.tcl cat OUT IN... | run.tcl in DIR SCRIPT ARG..."
    exit 2
}
