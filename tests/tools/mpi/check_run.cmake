# tools.mpi.run: aisyslab-mpi under mpiexec on 4 and 3 local processes with ring, tree and
# halving-doubling: the check against MPI_Allreduce passed, the trace parses (--read-trace,
# every step present), and bad input gives rank 0's message once with a non-zero exit.
# Args: -DEXE=aisyslab-mpi -DMPIEXEC=mpiexec -DAISYSLAB=aisyslab -DOUT=dir
# Open MPI refuses to run as root without these (CI runs as root).
set(ENV{OMPI_ALLOW_RUN_AS_ROOT} 1)
set(ENV{OMPI_ALLOW_RUN_AS_ROOT_CONFIRM} 1)
file(MAKE_DIRECTORY ${OUT})

function(run_mpi np out_var rc_var)
  execute_process(COMMAND ${MPIEXEC} -np ${np} --oversubscribe ${EXE} ${ARGN}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc TIMEOUT 60)
  set(${out_var} "${out}${err}" PARENT_SCOPE)
  set(${rc_var} "${rc}" PARENT_SCOPE)
endfunction()

foreach(np 4 3)
  foreach(algo ring tree halving-doubling)
    set(trace ${OUT}/${algo}_${np}.trace)
    file(REMOVE ${trace})
    run_mpi(${np} out rc --op allreduce --algo ${algo} --bytes 64K --iters 2 --trace ${trace})
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "${algo} on ${np} ranks: exit ${rc}\n${out}")
    endif()
    if(NOT out MATCHES "check against MPI_Allreduce, bit for bit: passed \\(0 of")
      message(FATAL_ERROR "${algo} on ${np} ranks: no passed check\n${out}")
    endif()
    if(NOT out MATCHES "\n +65536 +16384 +f32 [a-z-]+ +[0-9.]+ +[0-9.]+ +[0-9.]+ +0\n")
      message(FATAL_ERROR "${algo} on ${np} ranks: no result row with #wrong 0\n${out}")
    endif()
    execute_process(COMMAND ${EXE} --read-trace ${trace} OUTPUT_VARIABLE rd ERROR_VARIABLE rde
                    RESULT_VARIABLE rrc TIMEOUT 30)
    if(NOT rrc EQUAL 0)
      message(FATAL_ERROR "${trace} does not parse: ${rde}")
    endif()
    # iterations × ranks × rounds step records: ring 2(p−1) rounds; tree (binomial reduce +
    # broadcast) 2⌈log₂p⌉; halving-doubling 2 log₂p (+2 folding rounds when p is not a power of two).
    if(algo STREQUAL "ring")
      math(EXPR rounds "2 * (${np} - 1)")
    else()
      set(rounds 4)
    endif()
    math(EXPR records "2 * ${np} * ${rounds}")
    if(NOT rd MATCHES "${np} ranks, 65536 bytes f32, 2 iterations, ${rounds} steps, ${records} step records")
      message(FATAL_ERROR "${trace}: unexpected summary (want ${rounds} steps, ${records} records)\n${rd}")
    endif()
    if(NOT rd MATCHES "simulated: fully connected")
      message(FATAL_ERROR "${trace}: no replay on the simulator\n${rd}")
    endif()
  endforeach()
endforeach()

# The check can fail: rank 2 corrupts element 0 of its result.
run_mpi(3 out rc --op allreduce --algo ring --bytes 64 --iters 1 --corrupt 2 --no-calibrate)
if(NOT rc EQUAL 1 OR NOT out MATCHES "bit for bit: FAILED \\(1 of 48 elements differ\\)"
   OR NOT out MATCHES "first difference: rank 2 element 0: got ")
  message(FATAL_ERROR "--corrupt 2: the check did not fail as expected (exit ${rc})\n${out}")
endif()

# The trace in the GUI's picture: aisyslab export --trace draws its steps beside the simulator's.
set(ENV{QT_QPA_PLATFORM} offscreen)
execute_process(COMMAND ${AISYSLAB} export --trace ${OUT}/ring_4.trace --step 1 --format svg
                        -o ${OUT}/ring_4.svg
                RESULT_VARIABLE erc OUTPUT_VARIABLE eout ERROR_VARIABLE eerr TIMEOUT 60)
file(READ ${OUT}/ring_4.svg svg)
if(NOT erc EQUAL 0 OR NOT svg MATCHES "measured: MPI point-to-point" OR
   NOT svg MATCHES "simulated: engine/dist, fully connected" OR NOT svg MATCHES "4 ranks")
  message(FATAL_ERROR "aisyslab export --trace: exit ${erc}\n${eout}${eerr}")
endif()

# Random floats: another summation order than MPI's, checked within the stated bound.
run_mpi(3 out rc --op allreduce --algo halving-doubling --bytes 12K --data random --iters 1)
if(NOT rc EQUAL 0 OR NOT out MATCHES "2\\(p-1\\) u sum\\|x\\| = [0-9.e-]+ sum\\|x\\| \\(another summation order\\): passed")
  message(FATAL_ERROR "random data: exit ${rc}\n${out}")
endif()

# Bad input: one message (rank 0's), exit non-zero, no hang (the TIMEOUT would fail it).
foreach(case "0|--bytes 0: an all-reduce needs at least one f32 element"
             "6|--bytes 6 is not a multiple of the f32 element size \\(4 bytes\\)"
             "1M --algo foo|--algo 'foo': unknown for all-reduce"
             "1M --dtype f16|--dtype 'f16': expected f32, f64 or i32")
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 bytes)
  list(GET parts 1 want)
  separate_arguments(bytes)
  run_mpi(4 out rc --op allreduce --algo ring --bytes ${bytes})
  if(rc EQUAL 0)
    message(FATAL_ERROR "--bytes ${bytes}: exit 0\n${out}")
  endif()
  string(REGEX MATCHALL "aisyslab-mpi: ${want}" hits "${out}")
  list(LENGTH hits n)
  if(NOT n EQUAL 1)
    message(FATAL_ERROR "--bytes ${bytes}: the message '${want}' appears ${n} times, expected once\n${out}")
  endif()
endforeach()
run_mpi(1 out rc --op allreduce --algo ring --bytes 1K)
if(rc EQUAL 0 OR NOT out MATCHES "aisyslab-mpi: an all-reduce over 1 process sends nothing")
  message(FATAL_ERROR "1 process: exit ${rc}\n${out}")
endif()
message(STATUS "aisyslab-mpi: 6 runs verified, traces parsed, bad input refused")
