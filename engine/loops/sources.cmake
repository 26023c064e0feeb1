# engine/loops: the loop-nest IR, schedule primitives, executor, cache simulator, cost model, tuner.
target_sources(aisys_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/compute.cpp
  ${CMAKE_CURRENT_LIST_DIR}/schedule.cpp
  ${CMAKE_CURRENT_LIST_DIR}/schedule_parse.cpp
  ${CMAKE_CURRENT_LIST_DIR}/executor.cpp
  ${CMAKE_CURRENT_LIST_DIR}/nest_print.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cache_sim.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cost_model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tune.cpp
  ${CMAKE_CURRENT_LIST_DIR}/tune_measure.cpp
)
