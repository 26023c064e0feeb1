# Systolic-array model (engine/hw/systolic) and its CLI.
aisys_test(test_systolic_array unit SOURCES engine/test_systolic_array.cpp LIBS aisys_engine)
aisys_test(test_systolic_report unit SOURCES engine/test_systolic_report.cpp LIBS aisys_engine)
aisys_test(test_systolic_topology unit SOURCES engine/test_systolic_topology.cpp LIBS aisys_engine)
aisys_test(test_systolic_cli unit SOURCES engine/test_systolic_cli.cpp LIBS Qt6::Core)
add_dependencies(test_systolic_cli aisyslab)
aisys_test(test_systolic_mapping unit SOURCES engine/test_systolic_mapping.cpp LIBS aisys_engine)
aisys_test(test_systolic_memory unit SOURCES engine/test_systolic_memory.cpp engine/test_systolic_memory_reference.cpp LIBS aisys_engine)
