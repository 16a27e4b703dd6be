# run.cmake — the ctest "install: find_package(tinyattn) ..." test, as a script:
#   cmake -DBUILD_DIR=<tinyattn build> -DSOURCE_DIR=<tinyattn source> -DGENERATOR=.. -DCXX=.. -P run.cmake
# 1. cmake --install BUILD_DIR into a scratch prefix; 2. configure tests/consumer/ with
# CMAKE_PREFIX_PATH = that prefix (nothing else: no include paths, no -fopenmp, no Boost);
# 3. build it; 4. run it (it trains a Linear layer and writes a heatmap; exit 0 = it worked).
set(work "${BUILD_DIR}/consumer_test")
file(REMOVE_RECURSE "${work}")
file(MAKE_DIRECTORY "${work}/out")

function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("${what}: exit ${rc}\n${out}${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed")
  endif()
endfunction()

step("install" ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${work}/prefix")
step("configure the consumer" ${CMAKE_COMMAND} -S "${SOURCE_DIR}/tests/consumer" -B "${work}/build"
     -G "${GENERATOR}" -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_BUILD_TYPE=Release
     "-DCMAKE_PREFIX_PATH=${work}/prefix")
step("build the consumer" ${CMAKE_COMMAND} --build "${work}/build")
step("run the consumer" "${work}/build/consumer" "${work}/out")
