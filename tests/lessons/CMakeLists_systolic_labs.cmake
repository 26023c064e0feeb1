# Systolic-array and TPU Labs, and the TPU interconnect model they draw.
aisys_test(test_tpu_model unit SOURCES lessons/test_tpu_model.cpp LIBS aisys_engine)
aisys_test(test_systolic_labs unit SOURCES lessons/test_systolic_labs.cpp LIBS aisys_lessons)
