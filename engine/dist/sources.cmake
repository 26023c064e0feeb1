# engine/dist: the collective simulator (topologies, network, schedules, runs), the
# round-by-round ring all-reduce of the ring-allreduce Lab, pipeline schedules and ZeRO memory.
target_sources(aisys_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/ring_allreduce.cpp
  ${CMAKE_CURRENT_LIST_DIR}/units.cpp
  ${CMAKE_CURRENT_LIST_DIR}/topology.cpp
  ${CMAKE_CURRENT_LIST_DIR}/topology_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/path.cpp
  ${CMAKE_CURRENT_LIST_DIR}/network.cpp
  ${CMAKE_CURRENT_LIST_DIR}/schedules_basic.cpp
  ${CMAKE_CURRENT_LIST_DIR}/schedules_butterfly.cpp
  ${CMAKE_CURRENT_LIST_DIR}/schedules_tree.cpp
  ${CMAKE_CURRENT_LIST_DIR}/closed_forms.cpp
  ${CMAKE_CURRENT_LIST_DIR}/simulate.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pipeline_schedule.cpp
  ${CMAKE_CURRENT_LIST_DIR}/zero_memory.cpp
  ${CMAKE_CURRENT_LIST_DIR}/collective_trace.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tensor_parallel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/data_parallel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/planner.cpp
  ${CMAKE_CURRENT_LIST_DIR}/planner_files.cpp
)
